using M365.Sandbox.Hosting;

namespace M365.Sandbox.Directory;

/// <summary>
/// The Microsoft first-party resources an app can be consented for. SharePoint's three hosts belong to one
/// resource app, so a consent to "sharepoint" covers the tenant, -admin and -my audiences.
/// </summary>
public sealed record ResourceService(string Key, string DisplayName, Guid ResourceAppId)
{
    public static readonly ResourceService Graph = new("graph", "Microsoft Graph", Guid.Parse("00000003-0000-0000-c000-000000000000"));
    public static readonly ResourceService SharePoint = new("sharepoint", "Office 365 SharePoint Online", Guid.Parse("00000003-0000-0ff1-ce00-000000000000"));
    public static readonly ResourceService Management = new("management", "Office 365 Management APIs", Guid.Parse("c5393580-f805-4401-95e8-94b7a6ef2fc2"));
    public static readonly ResourceService AzureManagement = new("azure", "Windows Azure Service Management API", Guid.Parse("797f4846-ba00-4fd7-ba43-dac1f8f63013"));
    public static readonly ResourceService Yammer = new("yammer", "Office 365 Yammer", Guid.Parse("00000005-0000-0ff1-ce00-000000000000"));
    public static readonly ResourceService AadGraph = new("aadgraph", "Windows Azure Active Directory", Guid.Parse("00000002-0000-0000-c000-000000000000"));

    public static IReadOnlyList<ResourceService> All { get; } = new[] { Graph, SharePoint, Management, AzureManagement, Yammer, AadGraph };

    /// <summary>The service a host name belongs to in this tenant, or null for a host the sandbox does not serve.</summary>
    public static ResourceService? ForHost(string host, SandboxHostNames hosts)
    {
        host = host.ToLowerInvariant();
        return host switch
        {
            SandboxHostNames.Graph => Graph,
            SandboxHostNames.Management => Management,
            SandboxHostNames.AzureManagement => AzureManagement,
            SandboxHostNames.Yammer or SandboxHostNames.YammerApi => Yammer,
            SandboxHostNames.AadGraph => AadGraph,
            _ when host == hosts.SharePoint || host == hosts.SharePointAdmin || host == hosts.SharePointMy => SharePoint,
            _ => null,
        };
    }

    /// <summary>A seeded app's own API: consents and grants to it are keyed by its first App ID URI (api://contoso-api).</summary>
    public static ResourceService ForApi(SeededApp app) =>
        new(app.IdentifierUris.Count > 0 ? app.IdentifierUris[0] : app.AppId.ToString(), app.DisplayName, app.AppId);

    public static ResourceService? ForKey(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
}
