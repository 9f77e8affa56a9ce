using System;
using System.Linq;
using System.Management.Automation;
using M365.Core.Authentication.Persistence;
using M365.PowerShell.Models;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the current connection (or all of this session's): identity, tenant, app, sign-in type, cloud and each resource's token expiry. Never a token.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365Connection", DefaultParameterSetName = CurrentSet)]
[OutputType(typeof(M365Connection), ParameterSetName = new[] { CurrentSet, NameSet, AllSet })]
[OutputType("M365.Core.Authentication.Persistence.PersistedConnection", ParameterSetName = new[] { ListAvailableSet })]
public sealed class GetM365ConnectionCommand : M365Cmdlet
{
    public const string CurrentSet = "Current";
    public const string NameSet = "Name";
    public const string AllSet = "All";
    public const string ListAvailableSet = "ListAvailable";

    /// <summary>The names of connections of this session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Every connection of this session.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>The sign-ins persisted by -PersistLogin that this session has not resumed yet (Connect-M365 -Name resumes one).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ListAvailableSet)]
    public SwitchParameter ListAvailable { get; set; }

    protected override void ProcessRecord()
    {
        var session = SessionConnections.ForCurrentRunspace();
        switch (ParameterSetName)
        {
            case AllSet:
                WriteObject(session.All, enumerateCollection: true);
                break;
            case ListAvailableSet:
                var resumed = session.All.Select(c => c.Name).ToList();
                WriteObject(
                    PersistedConnections.List(TokenCacheLocation.Options()).Where(p => !resumed.Contains(p.Name, StringComparer.OrdinalIgnoreCase)),
                    enumerateCollection: true);
                break;
            case NameSet:
                foreach (var name in Name!)
                {
                    if (session.Find(name) is { } named)
                    {
                        WriteObject(named);
                    }
                    else
                    {
                        WriteError(ErrorRecords.Create(
                            ErrorIds.ConnectionNameNotFound,
                            ErrorCategory.ObjectNotFound,
                            name,
                            $"This session has no connection named '{name}'.",
                            "Run Get-M365Connection -All to see the connections of this session."));
                    }
                }

                break;
            default:
                if (session.Current is { } current)
                {
                    WriteObject(current);
                }
                else
                {
                    WriteError(session.All.Count == 0
                        ? ErrorRecords.Create(
                            ErrorIds.ConnectionNotFound,
                            ErrorCategory.ObjectNotFound,
                            null,
                            "There is no connection to Microsoft 365 in this session.",
                            "Run Connect-M365 to sign in.")
                        : ErrorRecords.Create(
                            ErrorIds.ConnectionNotFound,
                            ErrorCategory.ObjectNotFound,
                            null,
                            $"There is no current connection: the current one was disconnected. Open connections: {session.OpenNames}.",
                            "Get-M365Connection -All shows them; pass one to a command with -Connection <name>, or run Connect-M365."));
                }

                break;
        }
    }
}
