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
    /// The Graph calls a registration makes (applications, servicePrincipals, oauth2PermissionGrants), through the
    /// connection's resilient pipeline. Every write is first offered to <see cref="Approve"/> (ShouldProcess: -WhatIf lists
    /// it and it is not sent).
    /// </summary>
    internal sealed class AppDirectory
    {
        private readonly ResourceRequestSender _sender;
        private readonly Uri _v1;

        public AppDirectory(ResourceRequestSender sender, Uri graphOrigin, Func<string, Task<bool>> approve)
        {
            _sender = sender;
            _v1 = new Uri(graphOrigin, "v1.0/");
            Approve = approve;
        }

        /// <summary>PATCH (netstandard2.0 has no HttpMethod.Patch).</summary>
        public static readonly HttpMethod Patch = new HttpMethod("PATCH");

        /// <summary>Asked before each write with the call ("POST /v1.0/applications (…)"); false skips it.</summary>
        public Func<string, Task<bool>> Approve { get; }

        public Task<List<JsonElement>> FindApplicationsAsync(string property, string value, CancellationToken ct) =>
            ListAsync("applications?$filter=" + Uri.EscapeDataString(property + " eq '" + value.Replace("'", "''") + "'")
                + "&$select=id,appId,displayName,description,tags,isFallbackPublicClient,publicClient,requiredResourceAccess", ct);

        public async Task<string?> FindServicePrincipalIdAsync(string appId, CancellationToken ct)
        {
            var found = await ListAsync("servicePrincipals?$filter=" + Uri.EscapeDataString("appId eq '" + appId + "'") + "&$select=id,appId", ct).ConfigureAwait(false);
            return found.Count > 0 ? found[0].GetProperty("id").GetString() : null;
        }

        public Task<List<JsonElement>> ListGrantsAsync(string clientId, CancellationToken ct) =>
            ListAsync("oauth2PermissionGrants?$filter=" + Uri.EscapeDataString("clientId eq '" + clientId + "' and consentType eq 'AllPrincipals'"), ct);

        /// <summary>The app roles <paramref name="servicePrincipalId"/> holds (its appRoleAssignments: application permissions granted).</summary>
        public Task<List<JsonElement>> ListAppRoleAssignmentsAsync(string servicePrincipalId, CancellationToken ct) =>
            ListAsync("servicePrincipals/" + Uri.EscapeDataString(servicePrincipalId) + "/appRoleAssignments", ct);

        /// <summary>The app's federated identity credentials.</summary>
        public Task<List<JsonElement>> ListFederatedCredentialsAsync(string applicationId, CancellationToken ct) =>
            ListAsync("applications/" + Uri.EscapeDataString(applicationId) + "/federatedIdentityCredentials", ct);

        /// <summary>
        /// The app's keyCredentials with their <c>key</c>: Graph gives the key only on a single object read with
        /// <c>$select=keyCredentials</c>, and a PATCH of keyCredentials replaces the whole list, so this is how the keys an app
        /// has are kept when one is added.
        /// </summary>
        public async Task<List<JsonElement>> GetKeyCredentialsAsync(string applicationId, CancellationToken ct)
        {
            using var answer = await _sender.GetJsonAsync(new Uri(_v1, "applications/" + Uri.EscapeDataString(applicationId) + "?$select=keyCredentials"), ct).ConfigureAwait(false);
            var keys = new List<JsonElement>();
            if (answer.RootElement.TryGetProperty("keyCredentials", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                keys.AddRange(list.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.Object).Select(k => k.Clone()));
            }

            return keys;
        }

        /// <summary>The tenant's initial domain (contoso.onmicrosoft.com), which also names its SharePoint host; null when the organization lists none.</summary>
        public async Task<string?> InitialDomainAsync(CancellationToken ct)
        {
            foreach (var organization in await ListAsync("organization?$select=id,verifiedDomains", ct).ConfigureAwait(false))
            {
                if (organization.TryGetProperty("verifiedDomains", out var domains) && domains.ValueKind == JsonValueKind.Array)
                {
                    foreach (var domain in domains.EnumerateArray())
                    {
                        if (domain.ValueKind == JsonValueKind.Object && domain.TryGetProperty("isInitial", out var initial) && initial.ValueKind == JsonValueKind.True
                            && domain.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                        {
                            return name.GetString();
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>Sends a write once approved: the answer (null for 204), or null without sending when not approved.</summary>
        public async Task<JsonElement?> WriteAsync(HttpMethod method, string relative, object? body, string what, CancellationToken ct)
        {
            if (!await Approve($"{method.Method} /v1.0/{relative} ({what})").ConfigureAwait(false))
            {
                return null;
            }

            var kind = method == HttpMethod.Post ? RequestKind.CreatingWrite : RequestKind.IdempotentWrite;
            using JsonDocument? answer = await _sender.SendJsonAsync(method, new Uri(_v1, relative), body, kind, ct).ConfigureAwait(false);
            return answer?.RootElement.Clone() ?? default(JsonElement);
        }

        private async Task<List<JsonElement>> ListAsync(string relative, CancellationToken ct)
        {
            var items = new List<JsonElement>();
            await foreach (JsonElement item in _sender.GetItemsAsync(new Uri(_v1, relative), ct).ConfigureAwait(false))
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    items.Add(item.Clone());
                }
            }

            return items;
        }
    }
}
