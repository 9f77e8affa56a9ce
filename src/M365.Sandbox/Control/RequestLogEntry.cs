namespace M365.Sandbox.Control;

/// <summary>
/// One request the sandbox answered. It records who called (the token's audience, identity type and app id) but
/// never the token, secrets or bodies.
/// </summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time,
    string Method,
    string Host,
    string Path,
    string Query,
    int Status,
    string? Audience,
    string? IdentityType,
    string? AppId,
    string? GrantType,
    string? FaultId)
{
    public bool IsTokenRequest => GrantType is not null;

    /// <summary>For an inner request of a Graph <c>$batch</c>, the id the sandbox gave that batch; null for a direct call.</summary>
    public string? BatchId { get; init; }

    /// <summary>For a token request: it carried the claims of an active Continuous Access Evaluation challenge.</summary>
    public bool CaeClaims { get; init; }
}
