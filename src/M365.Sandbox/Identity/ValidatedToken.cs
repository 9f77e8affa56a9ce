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
}
