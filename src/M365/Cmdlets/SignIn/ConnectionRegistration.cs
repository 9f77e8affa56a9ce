using System;
using M365.Core.Connections;
using M365.Core.Resources;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>Makes a new connection the session's current one, and tells what replaced what.</summary>
internal static class ConnectionRegistration
{
    public static M365Connection Register(ConnectM365Command command, Connection core)
    {
        core.DiscoveryTimeout = TimeSpan.FromSeconds(command.DiscoveryTimeout);
        var connection = new M365Connection(core);
        DefaultDisplay.Connection(connection);
        // contoso.onmicrosoft.com names the SharePoint tenant too; otherwise it is learned from Graph when first needed.
        if (core.Resources.SharePointTenant is null && ResourceResolver.SharePointTenantFromInitialDomain(core.TenantDomain) is { } spoTenant)
        {
            core.SetSharePointTenant(spoTenant);
        }

        if (core.TokenCacheWarning is { } warning)
        {
            command.WriteWarning(warning);
        }

        var replaced = SessionConnections.ForCurrentRunspace().Add(connection);
        if (replaced is not null && !ReferenceEquals(replaced, connection))
        {
            command.WriteVerbose($"Connection '{replaced.Name}' was replaced by the new sign-in.");
        }

        command.WriteVerbose($"Connected as {connection.Identity} to tenant {connection.TenantId} with app {connection.AppId}.");
        if (command.PassThru)
        {
            command.WriteObject(connection);
        }

        return connection;
    }
}
