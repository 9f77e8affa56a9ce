using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using M365.Core.Authentication.Persistence;
using M365.PowerShell.Models;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Signs out: forgets a connection's tokens, in memory and in any persisted cache.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "M365", DefaultParameterSetName = CurrentSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(M365Connection))]
public sealed class DisconnectM365Command : M365Cmdlet
{
    public const string CurrentSet = "Current";
    public const string ConnectionSet = "Connection";
    public const string NameSet = "Name";
    public const string AllSet = "All";

    /// <summary>The connection(s) to close, as objects or by name ("Disconnect-M365 work").</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionSet, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public M365Connection[]? Connection { get; set; }

    /// <summary>The names of connections of this session to close.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Closes every connection of this session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Returns the closed connections.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var session = SessionConnections.ForCurrentRunspace();
        foreach (var connection in Targets(session))
        {
            if (!ShouldProcess(connection.Name, "Disconnect and forget its tokens"))
            {
                continue;
            }

            try
            {
                Await(async ct =>
                {
                    await connection.Core.DisconnectAsync(ct).ConfigureAwait(false);
                    return true;
                });
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteError(ErrorRecords.From(ex, connection));
                continue;
            }

            session.Remove(connection);
            WriteVerbose($"Disconnected '{connection.Name}'.");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }

    /// <summary>Deletes a sign-in persisted by an earlier session (-PersistLogin) that this session never resumed.</summary>
    private void RemovePersisted(string name)
    {
        if (!ShouldProcess(name, "Delete the persisted sign-in and its token cache"))
        {
            return;
        }

        try
        {
            Await(ct => PersistedConnections.RemoveAsync(name, TokenCacheLocation.Options(), ct));
            WriteVerbose($"Deleted the persisted sign-in '{name}'.");
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(ErrorRecords.From(ex, name));
        }
    }

    private IEnumerable<M365Connection> Targets(SessionConnections session)
    {
        switch (ParameterSetName)
        {
            case ConnectionSet:
                return Connection!;
            case AllSet:
                return session.All;
            case NameSet:
                var found = new List<M365Connection>();
                foreach (var name in Name!)
                {
                    var connection = session.Find(name);
                    if (connection is null && PersistedConnections.Exists(name, TokenCacheLocation.Options()))
                    {
                        // Readable or damaged alike: a damaged record is exactly what this must be able to delete.
                        RemovePersisted(name);
                        continue;
                    }

                    if (connection is null)
                    {
                        WriteError(ErrorRecords.Create(
                            ErrorIds.ConnectionNameNotFound,
                            ErrorCategory.ObjectNotFound,
                            name,
                            $"There is no connection named '{name}', in this session or persisted.",
                            "Run Get-M365Connection -All to see the connections of this session."));
                        continue;
                    }

                    found.Add(connection);
                }

                return found;
            default:
                var current = session.Current;
                if (current is null)
                {
                    WriteError(ErrorRecords.Create(
                        ErrorIds.ConnectionNotFound,
                        ErrorCategory.ObjectNotFound,
                        null,
                        session.All.Count == 0
                            ? "There is no current connection to disconnect: this session is not connected."
                            : $"There is no current connection to disconnect. Open connections: {session.OpenNames}.",
                        session.All.Count == 0
                            ? "Nothing to do. To sign in, run Connect-M365."
                            : "To close an open connection, name it: Disconnect-M365 -Name <name>, or Disconnect-M365 -All."));
                    return Array.Empty<M365Connection>();
                }

                return new[] { current };
        }
    }
}
