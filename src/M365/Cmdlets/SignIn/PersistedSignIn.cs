using System;
using System.Linq;
using System.Management.Automation;
using M365.Core;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Connections;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// Connect-M365 -Name n, with no other sign-in parameter, resumes the sign-in persisted under that name. A record that
/// exists but cannot be trusted stops here (PersistedConnectionInvalid): it never turns into a fresh sign-in.
/// </summary>
internal static class PersistedSignIn
{
    /// <summary>The persisted sign-in this call resumes, or null when it is a new sign-in.</summary>
    public static PersistedConnection? Find(ConnectM365Command command)
    {
        var name = command.Name;
        if (command.ParameterSetName != ConnectM365Command.DeviceCodeSet || name is null || command.PersistLogin || command.AppId is not null || command.Tenant is not null)
        {
            return null;
        }

        try
        {
            var options = TokenCacheLocation.Options();
            if (PersistedConnections.Exists(name, options))
            {
                return PersistedConnections.Find(name, options);
            }

            var persisted = PersistedConnections.List(options);
            if (persisted.Count > 0)
            {
                command.WriteWarning(
                    $"No sign-in is persisted under the name '{name}' (persisted: {string.Join(", ", persisted.Select(p => p.Name))}), so this starts a new sign-in. " +
                    $"To resume one, use its name; to keep this new sign-in for later sessions, add -PersistLogin.");
            }

            return null;
        }
        catch (M365Exception ex)
        {
            command.ThrowTerminatingError(ErrorRecords.From(ex, name));
            throw;
        }
    }

    /// <summary>Resumes <paramref name="persisted"/> silently from its token cache.</summary>
    public static Connection Resume(ConnectM365Command command, PersistedConnection persisted)
    {
        // Only -Sandbox (and the user's own $env:M365_SANDBOX) choose the sandbox transport, never the record.
        var transport = SignInTransport.Resolve(command, out _);
        command.WriteVerbose($"Resuming the persisted sign-in '{persisted.Name}' ({persisted.Identity}, {persisted.Protection} cache, saved {persisted.SavedOn:u}).");
        var factory = new ConnectionFactory(transport, null, new TokenStoreOptions { RefreshAhead = command.RefreshAhead });
        try
        {
            return command.Await(ct => factory.ReconnectAsync(persisted.Name, TokenCacheLocation.Options(), ct));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            command.ThrowTerminatingError(ErrorRecords.From(ex, command.Name));
            throw;
        }
    }
}
