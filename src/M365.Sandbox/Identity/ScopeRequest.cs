using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// A v2.0 scope parameter resolved to its one resource: "https://contoso.sharepoint.com/.default openid profile
/// offline_access" asks for SharePoint; a bare "User.Read" is a Graph scope, as in Entra ID.
/// </summary>
internal sealed record ScopeRequest(string Audience, ResourceService Service, string ScopePrefix, IReadOnlyList<string> Permissions, bool IsDefault)
{
    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access", "email" };

    /// <summary>Parses the scope; on failure returns null with the AADSTS code and description.</summary>
    public static ScopeRequest? Parse(string? scope, SandboxHostNames hosts, out int errorCode, out string error)
    {
        errorCode = 0;
        error = string.Empty;
        var resources = new List<(Uri Resource, string Permission, string Prefix)>();
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (OidcScopes.Contains(item))
            {
                continue;
            }

            if (!item.Contains("://", StringComparison.Ordinal))
            {
                resources.Add((new Uri("https://" + SandboxHostNames.Graph), item, "https://" + SandboxHostNames.Graph + "/"));
                continue;
            }

            var slash = item.IndexOf('/', item.IndexOf("://", StringComparison.Ordinal) + 3);
            var resourcePart = slash < 0 ? item : item[..slash];
            var permission = slash < 0 ? ".default" : item[(slash + 1)..].TrimStart('/');
            if (!Uri.TryCreate(resourcePart, UriKind.Absolute, out var uri) || permission.Length == 0)
            {
                errorCode = 70011;
                error = $"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {item} is not valid.";
                return null;
            }

            resources.Add((uri, permission, item[..(item.Length - permission.Length)]));
        }

        if (resources.Count == 0)
        {
            resources.Add((new Uri("https://" + SandboxHostNames.Graph), ".default", "https://" + SandboxHostNames.Graph + "/"));
        }

        var hostsAsked = resources.Select(r => r.Resource.Host.ToLowerInvariant()).Distinct().ToArray();
        if (hostsAsked.Length > 1 && hostsAsked.Select(h => SandboxHostNames.ResourceFor(h)).Distinct().Count() > 1)
        {
            errorCode = 28000;
            error = "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope " + scope + " is not valid.";
            return null;
        }

        var host = hostsAsked[0];
        var service = ResourceService.ForHost(host, hosts);
        if (service is null)
        {
            errorCode = 500011;
            error = $"The resource principal named https://{host} was not found in the tenant named {hosts.TenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.";
            return null;
        }

        var permissions = resources.Select(r => r.Permission).ToArray();
        return new ScopeRequest(SandboxHostNames.ResourceFor(host), service, resources[0].Prefix, permissions, permissions.Contains(".default"));
    }
}
