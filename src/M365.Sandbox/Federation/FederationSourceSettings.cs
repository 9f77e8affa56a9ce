namespace M365.Sandbox.Federation;

/// <summary>
/// What the next tokens of one token service carry. Null fields mean the service's default: its real issuer, its
/// default subject, the requested audience (or api://AzureADTokenExchange), iat = nbf = now.
/// </summary>
public sealed record FederationSourceSettings(
    TimeSpan Lifetime,
    string? Subject = null,
    string? Audience = null,
    string? Issuer = null,
    TimeSpan? NotBeforeOffset = null);
