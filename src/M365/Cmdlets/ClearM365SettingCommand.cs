using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Settings;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Removes saved defaults of Connect-M365: the named ones, or all of them (which deletes the settings file, damaged or not).</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "M365Setting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ClearM365SettingCommand : M365Cmdlet
{
    /// <summary>The settings to remove: AppId, Tenant, Environment. Default: all of them.</summary>
    [Parameter(Position = 0)]
    [ValidateSet(M365Settings.AppIdName, M365Settings.TenantName, M365Settings.EnvironmentName, IgnoreCase = true)]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        SettingsFile file;
        try
        {
            file = SettingsLocation.File();
        }
        catch (M365Exception ex)
        {
            WriteError(ErrorRecords.From(ex, null));
            return;
        }

        var what = Name is { Length: > 0 } ? "Remove " + string.Join(", ", Name) : "Remove every saved setting (delete the file)";
        if (!ShouldProcess(file.Path, what))
        {
            return;
        }

        try
        {
            if (Name is { Length: > 0 })
            {
                file.Update(current =>
                {
                    foreach (var name in Name)
                    {
                        current = current.Without(name);
                    }

                    return current;
                });
            }
            else
            {
                file.Delete();
            }

            WriteVerbose($"{what}: {file.Path}.");
        }
        catch (M365Exception ex)
        {
            WriteError(ErrorRecords.From(ex, file.Path));
        }
    }
}
