using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Registration
{
    /// <summary>
    /// Tenant-wide delegated consent (oauth2PermissionGrants, AllPrincipals), one grant per resource: made, widened to the
    /// scopes asked for, or kept. A user who may not consent (403) leaves the rest pending for an administrator.
    /// </summary>
    internal sealed class ConsentGrants
    {
        private readonly AppDirectory _directory;
        private readonly Action<string>? _verbose;

        public ConsentGrants(AppDirectory directory, Action<string>? verbose)
        {
            _directory = directory;
            _verbose = verbose;
        }

        public async Task EnsureAsync(AppRegistrationResult result, IReadOnlyList<ResolvedResource> resources, CancellationToken ct)
        {
            var grants = await _directory.ListGrantsAsync(result.ServicePrincipalId!, ct).ConfigureAwait(false);
            bool denied = false;
            foreach (var resource in resources)
            {
                var names = resource.Scopes.Select(s => resource.Resource.Name + "/" + s.Name).ToList();
                if (denied)
                {
                    result.PermissionsPendingConsent.AddRange(names);
                    continue;
                }

                try
                {
                    if (await EnsureOneAsync(result, resource, grants, ct).ConfigureAwait(false))
                    {
                        result.PermissionsGranted.AddRange(names);
                    }
                }
                catch (M365HttpException ex) when (ex.StatusCode == 403)
                {
                    _verbose?.Invoke($"Consent to {resource.Resource.Name} was refused (403): the signed-in user may not grant consent for the tenant.");
                    denied = true;
                    result.PermissionsPendingConsent.AddRange(names);
                }
            }
        }

        /// <summary>True when the grant holds every scope asked for after the call (false: not sent, -WhatIf).</summary>
        private async Task<bool> EnsureOneAsync(AppRegistrationResult result, ResolvedResource resource, List<JsonElement> grants, CancellationToken ct)
        {
            var grant = grants.Cast<JsonElement?>().FirstOrDefault(g => string.Equals(Text(g!.Value, "resourceId"), resource.ServicePrincipalId, StringComparison.OrdinalIgnoreCase));
            string label = "Grant:" + resource.Resource.Name;
            if (grant is { } existing)
            {
                var held = (Text(existing, "scope") ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
                var missing = resource.Scopes.Select(s => s.Name).Where(n => !held.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
                result.Reused.Add(label);
                if (missing.Count == 0)
                {
                    return true;
                }

                var scope = string.Join(" ", held.Concat(missing));
                return await _directory.WriteAsync(AppDirectory.Patch, "oauth2PermissionGrants/" + Text(existing, "id"), new Dictionary<string, object?> { ["scope"] = scope },
                    $"add {string.Join(" ", missing)} to the consent for all users to {resource.Resource.Name}", ct).ConfigureAwait(false) is not null;
            }

            var body = new Dictionary<string, object?>
            {
                ["clientId"] = result.ServicePrincipalId,
                ["consentType"] = "AllPrincipals",
                ["principalId"] = null,
                ["resourceId"] = resource.ServicePrincipalId,
                ["scope"] = resource.ScopeText,
            };
            if (await _directory.WriteAsync(HttpMethod.Post, "oauth2PermissionGrants", body, $"consent for all users to {resource.Resource.Name}: {resource.ScopeText}", ct).ConfigureAwait(false) is null)
            {
                return false;
            }

            result.Created.Add(label);
            return true;
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
