namespace M365.Sandbox.Identity;

/// <summary>What a resource endpoint knows about the caller once its bearer token has been validated.</summary>
public sealed record ValidatedToken(
    string Audience,
    Guid TenantId,
    string ObjectId,
    string? Upn,
    string AppId,
    string? AppDisplayName,
    string IdentityType,
    IReadOnlySet<string> Scopes,
    IReadOnlySet<string> Roles,
    DateTimeOffset ExpiresOn)
{
    public bool IsAppOnly => string.Equals(IdentityType, "app", StringComparison.Ordinal);

    /// <summary>The client declared the CAE capability (<c>xms_cc</c> has <c>cp1</c>) when it got the token.</summary>
    public bool CaeCapable { get; init; }

    /// <summary>The highest claims-challenge nbf the token satisfies (the sandbox's <c>sbx_cae</c> claim), 0 for none.</summary>
    public long CaeAcknowledged { get; init; }
}
