using System.Globalization;
using System.Text.RegularExpressions;

namespace M365.Sandbox.Control;

/// <summary>
/// A fault to inject for requests matching a host and path pattern ('*' matches any run of characters,
/// case-insensitive). It fires <see cref="Times"/> times, or for a <see cref="Ratio"/> of matching requests
/// (deterministically: 0.5 fires on every second match), or always when neither is set.
/// </summary>
public sealed class FaultRule
{
    /// <summary>Host pattern, e.g. graph.microsoft.com or *.sharepoint.com; null matches any host.</summary>
    public string? Host { get; set; }

    /// <summary>Path pattern, e.g. /v1.0/servicePrincipals*; null matches any path.</summary>
    public string? Path { get; set; }

    /// <summary>HTTP method to match; null matches any.</summary>
    public string? Method { get; set; }

    /// <summary>
    /// Query pattern matched against the decoded query string with its '?' (e.g. <c>*appId eq '1234*</c>), so one lookup
    /// among many to the same path can be singled out; null matches any query.
    /// </summary>
    public string? Query { get; set; }

    /// <summary>
    /// Which requests the rule applies to: direct calls, the inner requests of a Graph <c>$batch</c> (the batch itself
    /// then answers 200 with this item's status inside), or both (the default).
    /// </summary>
    public FaultScope Scope { get; set; } = FaultScope.Any;

    public FaultKind Kind { get; set; } = FaultKind.Status;

    public int Status { get; set; } = 503;

    /// <summary>Retry-After in seconds; null sends no Retry-After.</summary>
    public double? RetryAfterSeconds { get; set; }

    public RetryAfterForm RetryAfterForm { get; set; } = RetryAfterForm.Seconds;

    public int? Times { get; set; }

    public double? Ratio { get; set; }

    public int LatencyMilliseconds { get; set; }

    public string ForeignHost { get; set; } = "evil.example.com";

    /// <summary>The body of a <see cref="FaultKind.Body"/> fault; <c>{n}</c> becomes the rule's firing count.</summary>
    public string? Body { get; set; }

    /// <summary>The content type of a <see cref="FaultKind.Body"/> fault.</summary>
    public string ContentType { get; set; } = "application/json; charset=utf-8";

    /// <summary>The size of a <see cref="FaultKind.LargeBody"/> answer, in bytes (at least 32, at most 16 GiB).</summary>
    public long BodyBytes { get; set; } = 150L * 1024 * 1024;

    /// <summary>Whether a <see cref="FaultKind.LargeBody"/> answer declares its length (else it is chunked).</summary>
    public bool DeclareLength { get; set; }

    internal void Validate()
    {
        if (Kind == FaultKind.Status && Status is < 400 or > 599)
        {
            throw new ArgumentException("A status fault needs a 4xx or 5xx status.", nameof(Status));
        }

        if (Kind == FaultKind.Body && Body is null)
        {
            throw new ArgumentException("A body fault needs a body.", nameof(Body));
        }

        if (Kind == FaultKind.LargeBody && BodyBytes is < 32 or > 16L * 1024 * 1024 * 1024)
        {
            throw new ArgumentException("BodyBytes must be between 32 and 16 GiB.", nameof(BodyBytes));
        }

        if (Times is < 1 || Ratio is <= 0 or > 1 || LatencyMilliseconds is < 0 or > 120_000 || RetryAfterSeconds is < 0)
        {
            throw new ArgumentException("Times must be at least 1, Ratio in (0, 1], LatencyMilliseconds in [0, 120000] and RetryAfterSeconds not negative.");
        }
    }

    internal bool Matches(FaultTarget target) =>
        Glob(Host, target.Host) && Glob(Path, target.Path) && Glob(Query, target.Query)
        && (Method is null || string.Equals(Method, target.Method, StringComparison.OrdinalIgnoreCase))
        && (Scope == FaultScope.Any || (Scope == FaultScope.BatchItems) == target.IsBatchItem);

    internal string? FormatRetryAfter(DateTimeOffset now) => RetryAfterSeconds switch
    {
        null => null,
        { } s => RetryAfterForm switch
        {
            RetryAfterForm.DecimalSeconds => s.ToString("0.###", CultureInfo.InvariantCulture),
            RetryAfterForm.HttpDate => now.AddSeconds(s).ToString("R", CultureInfo.InvariantCulture),
            _ => Math.Ceiling(s).ToString(CultureInfo.InvariantCulture),
        },
    };

    private static bool Glob(string? pattern, string value) =>
        pattern is null || Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
