using System;
using System.Management.Automation;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;
using M365.PowerShell.Models;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// The base of every cmdlet that talks to Microsoft 365: it resolves <c>-Connection</c>, else the session's
/// current connection, and gets tokens from that connection's store.
/// </summary>
public abstract class M365ConnectedCmdlet : M365Cmdlet
{
    private bool _connectionOnCommandLine;
    private bool _ignoredNameWarned;

    /// <summary>
    /// The connection to use, as an object (Connect-M365 -PassThru, Get-M365Connection, from the pipeline) or by name;
    /// by default the session's current one (the last Connect-M365). A name is taken only from the command line: one
    /// that comes with the input (a CSV "Connection" column, a piped string) never chooses the identity.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public M365Connection? Connection { get; set; }

    /// <summary>
    /// How long the whole call may take, in seconds: every token request, service request and retry included. Past it the
    /// call ends with <c>RequestTimedOut</c>. Default: no bound beyond each request's own.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; }

    protected override void BeginProcessing()
    {
        // Only what was bound before BeginProcessing came from the command line; pipeline input binds later, per record.
        _connectionOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Connection));
        if (Timeout > 0)
        {
            StartDeadline(TimeSpan.FromSeconds(Timeout));
        }

        base.BeginProcessing();
    }

    /// <summary>
    /// The connection of the current input (it may come from the pipeline, so it is resolved for each record).
    /// Terminates with <c>ConnectionNotFound</c> when there is none, and <c>ConnectionClosed</c> when it was disconnected.
    /// </summary>
    protected Connection ResolvedConnection => Resolve().Core;

    /// <summary>The connection's request sender, reporting each request (never a token) as -Verbose and -Debug lines from the pipeline thread.</summary>
    protected ResourceRequestSender VerboseSender(Connection connection) =>
        connection.Requests.WithVerbose(line => Post(() => WriteVerbose(line))).WithDebug(DebugSink());

    /// <summary>
    /// Reports the failure of one input as a non-terminating error with its stable id, category and the input as target, so
    /// the rest of the input goes on; once the call is cancelled (Ctrl+C, -Timeout) nothing more can succeed, so it terminates.
    /// </summary>
    protected void WriteInputError(Exception exception, object? target)
    {
        var record = ErrorRecords.From(exception, target);
        if (CancellationToken.IsCancellationRequested)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    private M365Connection Resolve()
    {
        var session = SessionConnections.ForCurrentRunspace();
        var bound = Connection;
        string? ignoredName = null;
        if (bound is { BoundText: { } text, Problem: not ConnectionBindingProblem.Deserialized } && !_connectionOnCommandLine)
        {
            // A name that came with the input data: data never chooses the identity.
            ignoredName = bound.Problem == ConnectionBindingProblem.None ? text : null;
            bound = null;
        }

        if (bound is { Problem: not ConnectionBindingProblem.None })
        {
            ThrowTerminatingError(Unusable(bound, session));
        }

        var connection = bound ?? session.Current;
        if (connection is null)
        {
            ThrowTerminatingError(NoCurrentConnection(session));
        }

        if (ignoredName is not null && !_ignoredNameWarned && !string.Equals(ignoredName.Trim(), connection!.Name, StringComparison.OrdinalIgnoreCase))
        {
            _ignoredNameWarned = true;
            WriteWarning(
                $"The input names the connection '{ignoredName.Trim()}' (a Connection property or a piped name); input data never chooses the identity, so this runs as '{connection.Name}'. " +
                $"To run as '{ignoredName.Trim()}', pass -Connection {ignoredName.Trim()}.");
        }

        if (connection!.IsClosed)
        {
            ThrowTerminatingError(ErrorRecords.Create(
                AuthenticationErrorIds.ConnectionClosed,
                ErrorCategory.InvalidOperation,
                connection,
                $"The connection '{connection.Name}' was disconnected (Disconnect-M365): it gets no token and sends no request any more.",
                "Run Connect-M365 again, and use the new connection."));
        }

        if (connection.Core.TakeAppIdChange() is { } newAppId)
        {
            WriteWarning(
                $"The environment now names the app {newAppId}, but connection '{connection.Name}' signed in with the app {connection.AppId}. " +
                "The connection keeps using its own app; to use the new app, run Connect-M365 again.");
        }

        return connection;
    }

    private static ErrorRecord NoCurrentConnection(SessionConnections session)
    {
        if (session.All.Count == 0)
        {
            return ErrorRecords.Create(
                ErrorIds.ConnectionNotFound,
                ErrorCategory.ObjectNotFound,
                null,
                "There is no connection to Microsoft 365 in this session.",
                "Run Connect-M365 first, or pass a connection with -Connection.");
        }

        var first = session.All[0].Name;
        return ErrorRecords.Create(
            ErrorIds.ConnectionNotFound,
            ErrorCategory.ObjectNotFound,
            null,
            $"There is no current connection: the current one was disconnected, and M365 never switches to another by itself. Open connections: {session.OpenNames}.",
            $"Pass the one to use with -Connection (-Connection {first}), or run Connect-M365.");
    }

    private static ErrorRecord Unusable(M365Connection bound, SessionConnections session)
    {
        var open = session.All.Count == 0 ? "This session has no connection: run Connect-M365 first." : $"Open connections: {session.OpenNames}.";
        return bound.Problem == ConnectionBindingProblem.NameNotFound
            ? ErrorRecords.Create(
                ErrorIds.ConnectionNameNotFound,
                ErrorCategory.ObjectNotFound,
                bound.BoundText,
                $"This session has no connection named '{bound.BoundText}'. {open}",
                "Pass -Connection with one of the open names (Get-M365Connection -All lists them), or connect with Connect-M365 -Name.")
            : ErrorRecords.Create(
                ErrorIds.ConnectionDeserialized,
                ErrorCategory.InvalidArgument,
                bound.BoundText,
                $"The connection '{bound.BoundText}' was copied into another process (Start-Job, Invoke-Command, Import-Clixml), which keeps its name but none of its tokens, so it cannot be used there.",
                "Use Start-ThreadJob or ForEach-Object -Parallel with -Connection $using:c (they share this process), or run Connect-M365 in the job.");
    }
}
