using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Registration
{
    /// <summary>
    /// Maps permission names to the ids the tenant gives them, from each resource's service principal (never from a
    /// hard-coded id list: ids differ between clouds and new permissions appear). One Graph request for every resource.
    /// </summary>
    internal sealed class PermissionResolver
    {
        private readonly ResourceRequestSender _sender;
        private readonly Uri _graph;

        public PermissionResolver(ResourceRequestSender sender, Uri graphOrigin)
        {
            _sender = sender;
            _graph = graphOrigin;
        }

        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.PermissionNotFound"/> or <see cref="RegistrationErrorIds.PermissionResourceNotFound"/>.</exception>
        /// <param name="appOnly">Application permissions: the names are looked up in the resources' <c>appRoles</c> (those an application may be given), not their <c>oauth2PermissionScopes</c>.</param>
        public async Task<IReadOnlyList<ResolvedResource>> ResolveAsync(IReadOnlyList<PermissionRequest> requests, bool appOnly, CancellationToken cancellationToken)
        {
            var resources = requests.Select(r => r.Resource).Distinct().ToList();
            string ids = string.Join(",", resources.Select(r => "'" + r.AppId + "'"));
            var url = new Uri(_graph, "v1.0/servicePrincipals?$filter=" + Uri.EscapeDataString("appId in (" + ids + ")")
                + "&$select=appId,id,oauth2PermissionScopes,appRoles,servicePrincipalNames");
            var principals = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            await foreach (JsonElement item in _sender.GetItemsAsync(url, cancellationToken).ConfigureAwait(false))
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("appId", out var appId) && appId.ValueKind == JsonValueKind.String)
                {
                    principals[appId.GetString()!] = item.Clone();
                }
            }

            var result = new List<ResolvedResource>();
            foreach (var resource in resources)
            {
                if (!principals.TryGetValue(resource.AppId, out var principal))
                {
                    throw new M365Exception(
                        RegistrationErrorIds.PermissionResourceNotFound,
                        $"The tenant has no service principal for {resource.Name} ({resource.AppId}), so its permissions cannot be asked for.",
                        $"Leave {resource.Name} out of -Permission (for example -Permission Minimal), or add the service to the tenant.",
                        resource.Name);
                }

                var scopes = appOnly ? AppRoles(principal) : Scopes(principal);
                string kind = appOnly ? "application" : "delegated";
                var asked = new List<(string Name, string Id)>();
                foreach (var request in requests.Where(r => r.Resource == resource))
                {
                    var match = scopes.FirstOrDefault(s => string.Equals(s.Name, request.Name, StringComparison.OrdinalIgnoreCase));
                    if (match.Name is null)
                    {
                        var closest = ClosestNames.Find(request.Name, scopes.Select(s => s.Name));
                        throw new M365Exception(
                            RegistrationErrorIds.PermissionNotFound,
                            $"{resource.Name} has no {kind} permission '{request.Name}'; the closest it has are {string.Join(", ", closest)}.",
                            $"Use one of {resource.Name}'s {kind} permissions, for example {resource.Name}/{closest.FirstOrDefault()}.",
                            request.ToString());
                    }

                    asked.Add(match);
                }

                result.Add(new ResolvedResource(resource, principal.GetProperty("id").GetString()!, asked, appOnly));
            }

            return result;
        }

        private static List<(string Name, string Id)> Scopes(JsonElement principal) => Permissions(principal, "oauth2PermissionScopes", _ => true);

        // An app role whose allowedMemberTypes leave out "Application" is for users and groups only: never an application permission.
        private static List<(string Name, string Id)> AppRoles(JsonElement principal) => Permissions(principal, "appRoles", role =>
            !(role.TryGetProperty("allowedMemberTypes", out var types) && types.ValueKind == JsonValueKind.Array)
            || types.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "Application"));

        private static List<(string Name, string Id)> Permissions(JsonElement principal, string property, Func<JsonElement, bool> applies)
        {
            var permissions = new List<(string, string)>();
            if (principal.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                        && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && applies(item))
                    {
                        permissions.Add((value.GetString()!, id.GetString()!));
                    }
                }
            }

            return permissions;
        }
    }
}
