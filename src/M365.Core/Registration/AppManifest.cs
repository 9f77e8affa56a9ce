using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace M365.Core.Registration
{
    /// <summary>What a registered app must have: the application body to create, the PATCH that brings one up to date, and the mark of this command.</summary>
    internal static class AppManifest
    {
        /// <summary>
        /// Marks the apps Register-M365App made. Sent as a tag and in the description: Graph keeps both, and the sandbox keeps
        /// the description only (it accepts <c>tags</c> and <c>notes</c> but drops them), so either is proof.
        /// </summary>
        public const string Marker = "M365PowerShell:Register-M365App";

        public static readonly string[] RedirectUris = { "http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient" };

        private const string Description = "Made by Register-M365App of the M365 PowerShell module (" + Marker + ").";

        public static bool IsOurs(JsonElement app) =>
            (app.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String && d.GetString()!.IndexOf(Marker, StringComparison.Ordinal) >= 0)
            || (app.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array && tags.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == Marker));

        /// <summary>
        /// The new application. An app-only one (<paramref name="appOnly"/>) is a confidential client: no public client flows
        /// and no public-client redirect URIs, since it signs in only with client credentials (a certificate or a federated
        /// token) and never lets a user sign in, so allowing public client flows would only widen what the app id can be used for.
        /// </summary>
        public static Dictionary<string, object?> NewApplication(string displayName, IReadOnlyList<ResolvedResource> resources, bool appOnly = false)
        {
            var app = new Dictionary<string, object?>
            {
                ["displayName"] = displayName,
                ["description"] = Description,
                ["tags"] = new[] { Marker },
                ["signInAudience"] = "AzureADMyOrg",
            };
            if (!appOnly)
            {
                app["isFallbackPublicClient"] = true;
                app["publicClient"] = new Dictionary<string, object?> { ["redirectUris"] = RedirectUris };
            }

            app["requiredResourceAccess"] = Access(resources, null);
            return app;
        }

        /// <summary>The PATCH that brings an existing app up to date (null when it already is): what it lacks is added, nothing it has is removed (an app-only run adds no public-client settings).</summary>
        public static Dictionary<string, object?>? Update(JsonElement app, IReadOnlyList<ResolvedResource> resources, bool appOnly = false)
        {
            var patch = new Dictionary<string, object?>();
            if (!appOnly && !(app.TryGetProperty("isFallbackPublicClient", out var pc) && pc.ValueKind == JsonValueKind.True))
            {
                patch["isFallbackPublicClient"] = true;
            }

            var uris = Strings(app, "publicClient", "redirectUris");
            if (!appOnly && RedirectUris.Any(u => !uris.Contains(u, StringComparer.OrdinalIgnoreCase)))
            {
                patch["publicClient"] = new Dictionary<string, object?> { ["redirectUris"] = uris.Union(RedirectUris, StringComparer.OrdinalIgnoreCase).ToArray() };
            }

            var existing = app.TryGetProperty("requiredResourceAccess", out var rra) && rra.ValueKind == JsonValueKind.Array ? rra : default;
            var merged = Access(resources, existing.ValueKind == JsonValueKind.Array ? existing : (JsonElement?)null);
            if (existing.ValueKind != JsonValueKind.Array || merged.Sum(m => ((List<Dictionary<string, object?>>)m["resourceAccess"]!).Count) != existing.EnumerateArray().Sum(e => e.GetProperty("resourceAccess").GetArrayLength()))
            {
                patch["requiredResourceAccess"] = merged;
            }

            if (!IsOurs(app))
            {
                patch["description"] = Description;
            }

            return patch.Count == 0 ? null : patch;
        }

        private static List<Dictionary<string, object?>> Access(IReadOnlyList<ResolvedResource> resources, JsonElement? existing)
        {
            var byResource = new List<(string AppId, List<(string Id, string Type)> Access)>();
            if (existing is { } list)
            {
                foreach (var item in list.EnumerateArray())
                {
                    var entries = item.GetProperty("resourceAccess").EnumerateArray().Select(a => (a.GetProperty("id").GetString()!, a.GetProperty("type").GetString()!)).ToList();
                    byResource.Add((item.GetProperty("resourceAppId").GetString()!, entries));
                }
            }

            foreach (var resource in resources)
            {
                var slot = byResource.FirstOrDefault(r => string.Equals(r.AppId, resource.Resource.AppId, StringComparison.OrdinalIgnoreCase));
                if (slot.AppId is null)
                {
                    slot = (resource.Resource.AppId, new List<(string, string)>());
                    byResource.Add(slot);
                }

                foreach (var scope in resource.Scopes.Where(s => !slot.Access.Any(a => a.Type == resource.AccessType && string.Equals(a.Id, s.Id, StringComparison.OrdinalIgnoreCase))))
                {
                    slot.Access.Add((scope.Id, resource.AccessType));
                }
            }

            return byResource.Select(r => new Dictionary<string, object?>
            {
                ["resourceAppId"] = r.AppId,
                ["resourceAccess"] = r.Access.Select(a => new Dictionary<string, object?> { ["id"] = a.Id, ["type"] = a.Type }).ToList(),
            }).ToList();
        }

        private static List<string> Strings(JsonElement app, string objectName, string arrayName) =>
            app.TryGetProperty(objectName, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(arrayName, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : new List<string>();
    }
}
