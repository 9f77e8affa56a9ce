using System.Security.Cryptography.X509Certificates;

namespace M365.Sandbox.Directory;

/// <summary>
/// An application object (Graph /applications): the registration of an app, as distinct from its service principal.
/// <see cref="Id"/> is the object id Graph addresses it by; <see cref="AppId"/> is the client id. A seeded app keeps its
/// seed (<see cref="Seeded"/>: secret, certificate file, seeded consent); one created through Graph signs in from this
/// record alone.
/// </summary>
public sealed record ApplicationRegistration(
    Guid Id,
    Guid AppId,
    string DisplayName,
    string SignInAudience,
    bool IsFallbackPublicClient,
    IReadOnlyList<string> IdentifierUris,
    DateTimeOffset CreatedDateTime)
{
    /// <summary>publicClient.redirectUris ("Mobile and desktop applications"): the ones /authorize accepts.</summary>
    public IReadOnlyList<string> PublicClientRedirectUris { get; init; } = Array.Empty<string>();

    /// <summary>web.redirectUris: kept and echoed; a web redirect needs a secret, which Graph-created apps do not have.</summary>
    public IReadOnlyList<string> WebRedirectUris { get; init; } = Array.Empty<string>();

    public IReadOnlyList<RequiredResourceAccess> RequiredResourceAccess { get; init; } = Array.Empty<RequiredResourceAccess>();

    public IReadOnlyList<KeyCredential> KeyCredentials { get; init; } = Array.Empty<KeyCredential>();

    public string? Description { get; init; }

    /// <summary>The app's entry in the seed, or null for an app created through Graph.</summary>
    public SeededApp? Seeded { get; init; }

    /// <summary>The object id of the app's service principal in this tenant, once it has one.</summary>
    public Guid? ServicePrincipalId { get; init; }

    /// <summary>The user who created it through Graph (its owner), or null for a seeded or app-only-created one.</summary>
    public Guid? OwnerId { get; init; }

    /// <summary>Before this instant the app is not yet replicated: sign-ins get AADSTS700016.</summary>
    public DateTimeOffset AvailableFrom { get; init; }

    public static ApplicationRegistration FromSeed(SeededApp app, DateTimeOffset created) => new(
        app.ApplicationObjectId,
        app.AppId,
        app.DisplayName,
        app.IsPublicClient ? "AzureADMultipleOrgs" : "AzureADMyOrg",
        app.IsPublicClient,
        app.IdentifierUris.ToArray(),
        created)
    {
        PublicClientRedirectUris = app.RedirectUris.ToArray(),
        Seeded = app,
        ServicePrincipalId = app.ServicePrincipalId,
        AvailableFrom = created,
    };

    /// <summary>What the identity endpoints sign in with: the seed's app, or one built from this registration.</summary>
    public SeededApp ToSignInApp() => Seeded ?? new SeededApp
    {
        AppId = AppId,
        DisplayName = DisplayName,
        ApplicationObjectId = Id,
        ServicePrincipalId = ServicePrincipalId ?? Guid.Empty,
        IsPublicClient = IsFallbackPublicClient,
        RedirectUris = PublicClientRedirectUris.ToList(),
        IdentifierUris = IdentifierUris.ToList(),
    };

    /// <summary>The certificates that may sign the app's client assertions (AsymmetricX509Cert keys for Verify).</summary>
    public IEnumerable<X509Certificate2> VerifyCertificates => KeyCredentials
        .Where(k => k.Type == KeyCredential.CertificateType && k.Usage == KeyCredential.VerifyUsage)
        .Select(k => k.Certificate);
}

/// <summary>requiredResourceAccess: the permissions an app declares on one resource app.</summary>
public sealed record RequiredResourceAccess(Guid ResourceAppId, IReadOnlyList<ResourceAccess> ResourceAccess);

/// <summary>One declared permission: an oauth2PermissionScope id (Scope) or an appRole id (Role) of the resource.</summary>
public sealed record ResourceAccess(Guid Id, string Type);

/// <summary>An uploaded certificate (keyCredentials): only its public part is kept.</summary>
public sealed record KeyCredential(Guid KeyId, string Type, string Usage, string? DisplayName, X509Certificate2 Certificate)
{
    public const string CertificateType = "AsymmetricX509Cert";
    public const string VerifyUsage = "Verify";
}
