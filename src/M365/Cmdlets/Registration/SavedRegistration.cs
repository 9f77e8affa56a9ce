using System;
using M365.Core;
using M365.Core.Settings;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.Registration;

/// <summary>
/// Saves a registered app as the module's default (settings.json: the app id, the tenant, the cloud; never a secret), so a
/// plain Connect-M365 uses it; and forgets it when that app is unregistered.
/// </summary>
internal static class SavedRegistration
{
    /// <summary>True when saved; a failure is a non-terminating error (the app itself is registered).</summary>
    public static bool Save(M365Cmdlet command, string appId, string tenant, string environment)
    {
        SettingsFile? file = null;
        try
        {
            file = SettingsLocation.File();
            if (!command.ShouldProcess(file.Path, $"Save AppId = {appId}, Tenant = {tenant}, Environment = {environment} as the module's defaults"))
            {
                return false;
            }

            file.Update(current => current.With(SettingsValues.AppId(appId), SettingsValues.Tenant(tenant), SettingsValues.Environment(environment)));
            command.WriteVerbose($"Saved the app {appId} and tenant {tenant} as the module's defaults in {file.Path}: a plain Connect-M365 now uses them.");
            return true;
        }
        catch (M365Exception ex)
        {
            command.WriteError(ErrorRecords.From(ex, file?.Path));
            return false;
        }
    }

    /// <summary>Removes the saved app id and tenant when they name <paramref name="appId"/> (the deletion was already confirmed).</summary>
    public static void Forget(M365Cmdlet command, string appId)
    {
        SettingsFile? file = null;
        try
        {
            file = SettingsLocation.TryFile();
            if (file is null || !string.Equals(file.Read().AppId, appId, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            file.Update(current => current.Without(M365Settings.AppIdName).Without(M365Settings.TenantName));
            command.WriteVerbose($"The deleted app {appId} was the saved default: removed AppId and Tenant from {file.Path}.");
        }
        catch (M365Exception ex)
        {
            command.WriteError(ErrorRecords.From(ex, file?.Path));
        }
    }
}
