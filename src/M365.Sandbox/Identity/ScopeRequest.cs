using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// A v2.0 scope parameter resolved to its one resource: "https://contoso.sharepoint.com/.default openid profile
/// offline_access" asks for SharePoint; a bare "User.Read" is a Graph scope, as in Entra ID. A seeded app's own API is
/// asked for by its App ID URI ("api://contoso-api/.default") or its app id ("{appId}/.default"), and the token's
/// audience is what was asked for.
/// </summary>
internal sealed record ScopeRequest(string Audience, ResourceService Service, string ScopePrefix, IReadOnlyList<string> Permissions, bool IsDefault)
{
    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access", "email" };

    /// <summary>Parses the scope; on failure returns null with the AADSTS code and description.</summary>
    public static ScopeRequest? Parse(string? scope, TenantDirectory directory, out int errorCode, out string error)
    {
        errorCode = 0;
        error = string.Empty;
        var hosts = directory.Hosts;
        var resources = new List<(string Audience, ResourceService Service, string Permission, string Prefix)>();
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (OidcScopes.Contains(item))
            {
                continue;
            }

            if (ApiScope(item, directory) is { } api)
            {
                resources.Add(api);
                continue;
            }

            if (!item.Contains("://", StringComparison.Ordinal))
            {
                var slash = item.IndexOf('/');
                if (slash > 0 && Guid.TryParse(item[..slash], out var appId))
                {
                    // An app id that is not a seeded API: Entra ID knows no resource principal of that id in the tenant.
                    errorCode = 500011;
                    error = NotFound(appId.ToString(), hosts);
                    return null;
                }

                resources.Add((SandboxHostNames.ResourceFor(SandboxHostNames.Graph), ResourceService.Graph, item, "https://" + SandboxHostNames.Graph + "/"));
                continue;
            }

            var separator = item.IndexOf('/', item.IndexOf("://", StringComparison.Ordinal) + 3);
            var resourcePart = separator < 0 ? item : item[..separator];
            var permission = separator < 0 ? ".default" : item[(separator + 1)..].TrimStart('/');
            if (!Uri.TryCreate(resourcePart, UriKind.Absolute, out var uri) || permission.Length == 0)
            {
                errorCode = 70011;
                error = $"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {item} is not valid.";
                return null;
            }

            var host = uri.Host.ToLowerInvariant();
            var service = uri.Scheme == Uri.UriSchemeHttps ? ResourceService.ForHost(host, hosts) : null;
            if (service is null)
            {
                errorCode = 500011;
                error = NotFound(uri.Scheme == Uri.UriSchemeHttps ? "https://" + host : resourcePart, hosts);
                return null;
            }

            resources.Add((SandboxHostNames.ResourceFor(host), service, permission, item[..(item.Length - permission.Length)]));
        }

        if (resources.Count == 0)
        {
            resources.Add((SandboxHostNames.ResourceFor(SandboxHostNames.Graph), ResourceService.Graph, ".default", "https://" + SandboxHostNames.Graph + "/"));
        }

        if (resources.Select(r => r.Audience.ToLowerInvariant()).Distinct().Count() > 1)
        {
            errorCode = 28000;
            error = "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope " + scope + " is not valid.";
            return null;
        }

        var permissions = resources.Select(r => r.Permission).ToArray();
        return new ScopeRequest(resources[0].Audience, resources[0].Service, resources[0].Prefix, permissions, permissions.Contains(".default"));
    }

    // A seeded app's API, by one of its App ID URIs or by its app id, followed by "/permission".
    private static (string Audience, ResourceService Service, string Permission, string Prefix)? ApiScope(string item, TenantDirectory directory)
    {
        foreach (var app in directory.Seed.Apps.Where(a => a.IdentifierUris.Count > 0))
        {
            foreach (var audience in app.IdentifierUris.Append(app.AppId.ToString()))
            {
                var prefix = audience.TrimEnd('/') + "/";
                if (item.Length > prefix.Length && item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return (audience.TrimEnd('/'), ResourceService.ForApi(app), item[prefix.Length..].TrimStart('/'), item[..prefix.Length]);
                }
            }
        }

        return null;
    }

    private static string NotFound(string resource, SandboxHostNames hosts) =>
        $"The resource principal named {resource} was not found in the tenant named {hosts.TenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.";
}
