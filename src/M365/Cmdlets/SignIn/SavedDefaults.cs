using M365.Core;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Settings;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// The saved defaults (Set-M365Setting) as Connect-M365 uses them: read once per sign-in; a damaged or insecure file is
/// reported as a non-terminating error and the sign-in goes on without it (-ErrorAction Stop makes it stop).
/// </summary>
internal static class SavedDefaults
{
    public static M365Settings Read(M365Cmdlet command)
    {
        try
        {
            if (SettingsLocation.TryFile() is not { } file)
            {
                return M365Settings.Empty;
            }

            var saved = file.Read();
            if (!saved.IsEmpty)
            {
                command.WriteVerbose($"Saved defaults ({file.Path}): {saved}.");
            }

            return saved;
        }
        catch (M365Exception ex)
        {
            command.WriteError(ErrorRecords.From(ex, null));
            return M365Settings.Empty;
        }
    }

    /// <summary>Where the connection's app id came from, for -Verbose.</summary>
    public static string DescribeAppId(Connection connection)
    {
        string from = connection.AppIdSource switch
        {
            AppIdSource.Parameter => "the -AppId parameter",
            AppIdSource.AadAppIdVariable => "$env:" + SignInOptions.AadAppIdVariable,
            AppIdSource.EntraAppIdVariable => "$env:" + SignInOptions.EntraAppIdVariable,
            AppIdSource.Setting => "the saved default (Set-M365Setting)",
            AppIdSource.Token => "the token's claims",
            _ => "the built-in default, the PnP Management Shell app",
        };
        return $"App id {connection.AppId ?? "(none)"} (AppIdSource {connection.AppIdSource}): from {from}.";
    }
}
