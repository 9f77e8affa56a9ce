using System;
using System.Collections.Generic;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// A Microsoft Graph service principal. The fields the module models are typed; every other field of the answer (or
    /// of a <c>$select</c>) is kept in <see cref="AdditionalProperties"/>. A field not selected stays null or empty.
    /// </summary>
    public sealed class ServicePrincipal
    {
        private static readonly HashSet<string> s_modelled = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "id", "appId", "displayName", "appDisplayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId",
            "signInAudience", "servicePrincipalNames", "tags", "appRoles", "oauth2PermissionScopes", "@odata.context",
        };

        private ServicePrincipal()
        {
        }

        /// <summary>The object id.</summary>
        public Guid Id { get; private set; }

        /// <summary>The application (client) id.</summary>
        public Guid? AppId { get; private set; }

        /// <summary>The display name.</summary>
        public string? DisplayName { get; private set; }

        /// <summary>The display name of the application it stands for.</summary>
        public string? AppDisplayName { get; private set; }

        /// <summary>Application, ManagedIdentity, Legacy or SocialIdp.</summary>
        public string? ServicePrincipalType { get; private set; }

        /// <summary>Whether sign-ins to it are allowed.</summary>
        public bool? AccountEnabled { get; private set; }

        /// <summary>The tenant that registered the application.</summary>
        public Guid? AppOwnerOrganizationId { get; private set; }

        /// <summary>AzureADMyOrg, AzureADMultipleOrgs, …</summary>
        public string? SignInAudience { get; private set; }

        /// <summary>Its names (the app id, identifier URIs).</summary>
        public IReadOnlyList<string> ServicePrincipalNames { get; private set; } = Array.Empty<string>();

        /// <summary>Its tags.</summary>
        public IReadOnlyList<string> Tags { get; private set; } = Array.Empty<string>();

        /// <summary>The application permissions (roles) it exposes.</summary>
        public IReadOnlyList<AppRole> AppRoles { get; private set; } = Array.Empty<AppRole>();

        /// <summary>The delegated permissions (scopes) it exposes.</summary>
        public IReadOnlyList<PermissionScope> Oauth2PermissionScopes { get; private set; } = Array.Empty<PermissionScope>();

        /// <summary>The fields of the answer this type does not model, as plain .NET values (see <see cref="JsonValues.ToObject"/>).</summary>
        public IReadOnlyDictionary<string, object?> AdditionalProperties { get; private set; } = new Dictionary<string, object?>();

        /// <inheritdoc />
        public override string ToString() => (DisplayName ?? Id.ToString()) + " (" + AppId + ")";

        /// <summary>Reads one service principal object of a Graph answer.</summary>
        /// <param name="json">A JSON object.</param>
        /// <exception cref="ArgumentException">The element is not an object.</exception>
        public static ServicePrincipal FromJson(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("A service principal is a JSON object.", nameof(json));
            }

            var additional = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in json.EnumerateObject())
            {
                if (!s_modelled.Contains(property.Name))
                {
                    additional[property.Name] = JsonValues.ToObject(property.Value);
                }
            }

            return new ServicePrincipal
            {
                Id = JsonValues.Guid(json, "id") ?? Guid.Empty,
                AppId = JsonValues.Guid(json, "appId"),
                DisplayName = JsonValues.String(json, "displayName"),
                AppDisplayName = JsonValues.String(json, "appDisplayName"),
                ServicePrincipalType = JsonValues.String(json, "servicePrincipalType"),
                AccountEnabled = JsonValues.Bool(json, "accountEnabled"),
                AppOwnerOrganizationId = JsonValues.Guid(json, "appOwnerOrganizationId"),
                SignInAudience = JsonValues.String(json, "signInAudience"),
                ServicePrincipalNames = JsonValues.Strings(json, "servicePrincipalNames"),
                Tags = JsonValues.Strings(json, "tags"),
                AppRoles = Objects(json, "appRoles", AppRole.FromJson),
                Oauth2PermissionScopes = Objects(json, "oauth2PermissionScopes", PermissionScope.FromJson),
                AdditionalProperties = additional,
            };
        }

        private static IReadOnlyList<T> Objects<T>(JsonElement json, string name, Func<JsonElement, T> read)
        {
            if (!json.TryGetProperty(name, out JsonElement array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                return Array.Empty<T>();
            }

            var list = new List<T>(array.GetArrayLength());
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    list.Add(read(item));
                }
            }

            return list;
        }
    }
}
