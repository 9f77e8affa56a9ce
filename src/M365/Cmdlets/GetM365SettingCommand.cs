using System.Management.Automation;
using M365.Core;
using M365.Core.Settings;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the saved defaults of Connect-M365: app id, tenant and cloud.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365Setting")]
[OutputType(typeof(M365Setting), typeof(string))]
public sealed class GetM365SettingCommand : M365Cmdlet
{
    /// <summary>Writes only the value of each named setting (a string, or nothing when it is not set) instead of the settings object.</summary>
    [Parameter(Position = 0)]
    [ValidateSet(M365Settings.AppIdName, M365Settings.TenantName, M365Settings.EnvironmentName, IgnoreCase = true)]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        SettingsFile file;
        M365Settings saved;
        try
        {
            file = SettingsLocation.File();
            saved = file.Read();
        }
        catch (M365Exception ex)
        {
            WriteError(ErrorRecords.From(ex, null));
            return;
        }

        var setting = new M365Setting(saved, file.Path);
        if (Name is not { Length: > 0 })
        {
            WriteObject(setting);
            return;
        }

        foreach (var name in Name)
        {
            var value = name.ToUpperInvariant() switch
            {
                "APPID" => setting.AppId,
                "TENANT" => setting.Tenant,
                _ => setting.Environment,
            };
            if (value is not null)
            {
                WriteObject(value);
            }
        }
    }
}
