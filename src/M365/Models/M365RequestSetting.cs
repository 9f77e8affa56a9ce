using System;
using System.Globalization;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.PowerShell.Models;

/// <summary>
/// The retry budget and timeouts requests use (Get-M365RequestSetting, Get-M365Connection's RequestSettings): for a
/// connection, what its requests use now (the defaults, then the session's settings, then its own); for the session, what
/// a connection without settings of its own uses.
/// </summary>
public sealed class M365RequestSetting
{
    private M365RequestSetting(string scope, string? connection, HttpRetryOptions effective, RequestSettings setHere, RequestSettings? session)
    {
        Scope = scope;
        Connection = connection;
        MaxRetry = effective.MaxRetries;
        RetryDelay = effective.BaseDelay;
        RequestTimeout = effective.PerAttemptTimeout;
        Source = Describe(setHere, session);
    }

    internal static M365RequestSetting ForSession(RequestSettings session) =>
        new("Session", null, session.ApplyTo(new HttpRetryOptions()), session, null);

    internal static M365RequestSetting ForConnection(Connection connection) =>
        new("Connection", connection.Name, connection.RetryOptions, connection.RequestSettings, connection.SessionRequestSettings);

    /// <summary>Session, or Connection.</summary>
    public string Scope { get; }

    /// <summary>The connection's name; null for the session.</summary>
    public string? Connection { get; }

    /// <summary>Retries after the first attempt of a throttled (429) or failed (503, 504, network) request, 0 to 10. Default 3.</summary>
    public int MaxRetry { get; }

    /// <summary>The first back-off delay when the service sends no Retry-After (doubling, with jitter). Default 2 seconds.</summary>
    public TimeSpan RetryDelay { get; }

    /// <summary>How long one attempt may take before it counts as timed out (and is retried). Default 100 seconds.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>Where the values come from: Default, Session, Connection, or a mix ("MaxRetry: Connection; others: Default").</summary>
    public string Source { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "MaxRetry {0}, RetryDelay {1:0.###} s, RequestTimeout {2:0.###} s ({3})",
        MaxRetry,
        RetryDelay.TotalSeconds,
        RequestTimeout.TotalSeconds,
        Source);

    private static string Describe(RequestSettings setHere, RequestSettings? session)
    {
        string Of(bool here, bool inSession) => here ? (session is null ? "Session" : "Connection") : inSession ? "Session" : "Default";
        var retry = Of(setHere.MaxRetries is not null, session?.MaxRetries is not null);
        var delay = Of(setHere.RetryDelay is not null, session?.RetryDelay is not null);
        var timeout = Of(setHere.RequestTimeout is not null, session?.RequestTimeout is not null);
        return retry == delay && delay == timeout ? retry : $"MaxRetry: {retry}; RetryDelay: {delay}; RequestTimeout: {timeout}";
    }
}
