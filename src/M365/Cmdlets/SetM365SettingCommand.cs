using System;
using System.Collections.Generic;
using System.Management.Automation;
using M365.Core;
using M365.Core.Settings;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Saves defaults for Connect-M365: the app id, the tenant and the cloud. Never a secret.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "M365Setting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(M365Setting))]
public sealed class SetM365SettingCommand : M365Cmdlet
{
    /// <summary>The app (client) id a plain Connect-M365 signs in with (after -AppId and CLIMICROSOFT365_AADAPPID/ENTRAAPPID).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "ApplicationId")]
    public string? AppId { get; set; }

    /// <summary>The tenant (domain or id) a plain Connect-M365 signs in to (after -Tenant and CLIMICROSOFT365_TENANT).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("TenantId")]
    public string? Tenant { get; set; }

    /// <summary>The cloud Connect-M365 uses when -Environment is not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>Returns the settings saved.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        SettingsFile file;
        string? appId, tenant, environment;
        try
        {
            file = SettingsLocation.File();
            appId = AppId is null ? null : SettingsValues.AppId(AppId);
            tenant = Tenant is null ? null : SettingsValues.Tenant(Tenant);
            environment = Environment is null ? null : SettingsValues.Environment(Environment);
        }
        catch (M365Exception ex)
        {
            WriteError(ErrorRecords.From(ex, null));
            return;
        }

        var changes = new List<string>();
        if (appId is not null) changes.Add("AppId = " + appId);
        if (tenant is not null) changes.Add("Tenant = " + tenant);
        if (environment is not null) changes.Add("Environment = " + environment);
        if (changes.Count == 0)
        {
            WriteError(ErrorRecords.Create(
                SettingsErrorIds.SettingValueInvalid,
                ErrorCategory.InvalidArgument,
                null,
                "Set-M365Setting was given no setting to save.",
                "Pass -AppId, -Tenant or -Environment (Clear-M365Setting removes one)."));
            return;
        }

        if (!ShouldProcess(file.Path, "Save " + string.Join(", ", changes)))
        {
            return;
        }

        try
        {
            var saved = file.Update(current => current.With(appId, tenant, environment));
            WriteVerbose($"Saved {string.Join(", ", changes)} to {file.Path}.");
            if (PassThru)
            {
                WriteObject(new M365Setting(saved, file.Path));
            }
        }
        catch (M365Exception ex)
        {
            WriteError(ErrorRecords.From(ex, file.Path));
        }
    }
}
