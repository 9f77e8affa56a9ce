namespace M365.Sandbox.Directory;

/// <summary>
/// A federatedIdentityCredential of an app registration: tokens of <see cref="Issuer"/> about <see cref="Subject"/> for
/// one of <see cref="Audiences"/> may stand in for the app's secret. Matched exactly and case-sensitively, as Entra ID does.
/// </summary>
public sealed record FederatedIdentityCredential
{
    public const string DefaultAudience = "api://AzureADTokenExchange";

    public Guid Id { get; init; }

    /// <summary>Unique per app, at most 120 characters, immutable.</summary>
    public required string Name { get; init; }

    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    public IReadOnlyList<string> Audiences { get; init; } = new[] { DefaultAudience };

    public string? Description { get; init; }

    public override string ToString() => $"{Name} ({Issuer} / {Subject})";
}
