using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using M365.PowerShell.Models;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// The connections of one PowerShell session (runspace): its current connection and the named ones it made.
/// Runspaces never see each other's current connection; a connection object itself may be passed anywhere
/// (<c>-Connection $using:c</c>), because it is thread-safe.
/// </summary>
internal sealed class SessionConnections
{
    // The one deliberate process-wide table: keyed weakly by runspace, so a closed runspace takes its entry with it.
    private static readonly ConditionalWeakTable<Runspace, SessionConnections> BySession = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, M365Connection> _named = new(StringComparer.OrdinalIgnoreCase);
    private M365Connection? _current;
    private M365.Core.Http.RequestSettings _requestSettings = M365.Core.Http.RequestSettings.None;

    public static SessionConnections ForCurrentRunspace()
    {
        var runspace = Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("M365 cmdlets must run in a PowerShell runspace.");
        return BySession.GetValue(runspace, _ => new SessionConnections());
    }

    public M365Connection? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public IReadOnlyList<M365Connection> All
    {
        get
        {
            lock (_gate)
            {
                return _named.Values.OrderBy(c => c.ConnectedOn).ToList();
            }
        }
    }

    /// <summary>Adds a connection, replacing one of the same name, and makes it current. Returns the replaced one.</summary>
    public M365Connection? Add(M365Connection connection)
    {
        lock (_gate)
        {
            _named.TryGetValue(connection.Name, out var replaced);
            _named[connection.Name] = connection;
            _current = connection;
            connection.Core.SetSessionRequestSettings(_requestSettings);
            return replaced;
        }
    }

    /// <summary>
    /// The session's request settings (Set-M365RequestSetting without -Connection): every connection of this session falls
    /// back on them, those made later too.
    /// </summary>
    public M365.Core.Http.RequestSettings RequestSettings
    {
        get
        {
            lock (_gate)
            {
                return _requestSettings;
            }
        }

        set
        {
            lock (_gate)
            {
                _requestSettings = value;
                foreach (var connection in _named.Values)
                {
                    connection.Core.SetSessionRequestSettings(value);
                }
            }
        }
    }

    /// <summary>The names of the open connections, oldest first, for messages ("Open connections: a, b.").</summary>
    public string OpenNames => string.Join(", ", All.Select(c => c.Name));

    public M365Connection? Find(string name)
    {
        lock (_gate)
        {
            return _named.TryGetValue(name, out var connection) ? connection : null;
        }
    }

    /// <summary>
    /// Forgets a connection. If it was current, none is current any more: making another open connection current would
    /// switch the identity of the next command with nothing said (Disconnect-MgGraph and Disconnect-PnPOnline do not either).
    /// </summary>
    public void Remove(M365Connection connection)
    {
        lock (_gate)
        {
            if (_named.TryGetValue(connection.Name, out var existing) && ReferenceEquals(existing, connection))
            {
                _named.Remove(connection.Name);
            }

            if (ReferenceEquals(_current, connection))
            {
                _current = null;
            }
        }
    }
}
