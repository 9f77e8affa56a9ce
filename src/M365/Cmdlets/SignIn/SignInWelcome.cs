using System.Management.Automation;
using M365.Core.Authentication;
using M365.Core.Connections;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// What Connect-MgGraph's welcome and Az's table tell after a sign-in a person made: who, where, with which app. Through
/// the information stream as Write-Host does (shown by default), so 6>$null or -InformationAction Ignore silences it.
/// </summary>
internal static class SignInWelcome
{
    public static void Write(Cmdlet command, Connection connection)
    {
        var app = connection.AppId + (connection.AppIdSource == AppIdSource.Default ? " (the PnP Management Shell app)" : string.Empty);
        var message = $"Signed in as {connection.Identity} to tenant {connection.TenantDomain ?? connection.TenantId} with app {app}. Connection: '{connection.Name}'.";
        command.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });
    }
}
