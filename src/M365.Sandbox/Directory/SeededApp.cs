namespace M365.Sandbox.Directory;

/// <summary>
/// An app registration with its service principal in the tenant and the permissions an admin consented for it,
/// keyed by resource service key (graph, sharepoint, management, azure, yammer, aadgraph).
/// </summary>
public sealed class SeededApp
{
    public required Guid AppId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The object id of the app's service principal: the <c>oid</c> of its app-only tokens.</summary>
    public Guid ServicePrincipalId { get; set; }

    /// <summary>The object id of the app's registration (Graph /applications/{id}), not the app id.</summary>
    public Guid ApplicationObjectId { get; set; }

    /// <summary>"Allow public client flows": device code and ROPC without a secret.</summary>
    public bool IsPublicClient { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// "Mobile and desktop applications" redirect URIs the authorize endpoint accepts. A loopback one
    /// (<c>http://localhost</c>) matches any port, as in Entra ID.
    /// </summary>
    public List<string> RedirectUris { get; set; } = new();

    /// <summary>A PFX, CER or PEM file whose certificate may sign client assertions.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>When true the sandbox generates a certificate for the app into its state folder.</summary>
    public bool GenerateCertificate { get; set; }

    /// <summary>
    /// The App ID URIs of the API this app exposes (api://contoso-api). Other apps ask for its tokens by one of them or by
    /// its app id, and are granted its permissions under the first one as the key.
    /// </summary>
    public List<string> IdentifierUris { get; set; } = new();

    public Dictionary<string, string[]> DelegatedPermissions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string[]> ApplicationPermissions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Pipeline tokens (issuer, subject, audience) that may stand in for a secret; at most 20.</summary>
    public List<FederatedIdentityCredential> FederatedIdentityCredentials { get; set; } = new();

    /// <summary>
    /// A Microsoft first-party app (Azure CLI, Graph Command Line Tools): a service principal in the tenant owned by
    /// Microsoft, no application object.
    /// </summary>
    public bool IsFirstParty { get; set; }

    /// <summary>Pre-authorized by its resources for fixed permissions: only /.default may be asked for, a named scope gives AADSTS65002.</summary>
    public bool PreAuthorizedOnly { get; set; }

    /// <summary>Takes dynamic scopes, consented on the fly: by an admin for the tenant, by a user only where user consent suffices.</summary>
    public bool DynamicConsent { get; set; }

    public override string ToString() => $"{DisplayName} ({AppId})";
}
