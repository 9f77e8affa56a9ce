using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// A Microsoft Graph service principal. The fields the module models are typed; every other field of the answer (or
    /// of a <c>$select</c>) is kept in <see cref="AdditionalProperties"/>. A field not selected stays null or empty.
    /// <para>
    /// Not sealed so that a host can give it a type name of its own through a derived type (the module's
    /// <c>M365.ServicePrincipal</c>): a name from the type costs nothing per object, where a per-object type name in
    /// PowerShell costs a lock and a weak-table entry on every object written.
    /// </para>
    /// </summary>
    public partial class ServicePrincipal
    {
        /// <summary>The names the type models, in any case: another case of one is neither typed nor additional.</summary>
        private static readonly HashSet<string> s_modelled = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "id", "appId", "displayName", "appDisplayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId",
            "signInAudience", "servicePrincipalNames", "tags", "appRoles", "oauth2PermissionScopes", "@odata.context",
        };

        private static readonly IReadOnlyDictionary<string, object?> s_noAdditional = new System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());

        /// <summary>An empty service principal, for a derived type that <see cref="ServicePrincipalClient.NewObject"/> makes; the readers fill it.</summary>
        protected ServicePrincipal()
        {
        }

        /// <summary>A copy of <paramref name="source"/> (its lists and dictionary are shared: none can be changed).</summary>
        /// <param name="source">The service principal to copy.</param>
        [MethodImpl(HotPath.Optimized)]
        protected ServicePrincipal(ServicePrincipal source)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            Id = source.Id;
            AppId = source.AppId;
            DisplayName = source.DisplayName;
            AppDisplayName = source.AppDisplayName;
            ServicePrincipalType = source.ServicePrincipalType;
            AccountEnabled = source.AccountEnabled;
            AppOwnerOrganizationId = source.AppOwnerOrganizationId;
            SignInAudience = source.SignInAudience;
            ServicePrincipalNames = source.ServicePrincipalNames;
            Tags = source.Tags;
            AppRoles = source.AppRoles;
            Oauth2PermissionScopes = source.Oauth2PermissionScopes;
            AdditionalProperties = source.AdditionalProperties;
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
        public IReadOnlyDictionary<string, object?> AdditionalProperties { get; private set; } = s_noAdditional;

        /// <inheritdoc />
        public override string ToString() => (DisplayName ?? Id.ToString()) + " (" + AppId + ")";

        /// <summary>Reads one service principal object of a Graph answer.</summary>
        /// <param name="json">A JSON object.</param>
        /// <exception cref="ArgumentException">The element is not an object.</exception>
        [MethodImpl(HotPath.Optimized)]
        public static ServicePrincipal FromJson(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("A service principal is a JSON object.", nameof(json));
            }

            // One pass over the properties (a lookup by name scans the object each time). A typed field takes its name's
            // exact case, as Graph writes it; another case of a modelled name is neither typed nor additional. A repeated
            // name: the last one counts.
            var sp = new ServicePrincipal();
            Dictionary<string, object?>? additional = null;
            foreach (JsonProperty property in json.EnumerateObject())
            {
                if (!sp.TryRead(property))
                {
                    additional ??= new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    additional[property.Name] = JsonValues.ToObject(property.Value);
                }
            }

            sp.AdditionalProperties = additional ?? s_noAdditional;
            return sp;
        }

        /// <summary>Reads a modelled property into its field; false for a property that is not modelled.</summary>
        [MethodImpl(HotPath.Optimized)]
        private bool TryRead(JsonProperty property)
        {
            string name = property.Name;
            JsonElement value = property.Value;
            switch (name)
            {
                case "id":
                    Id = JsonValues.Guid(value) ?? Guid.Empty;
                    return true;
                case "appId":
                    AppId = JsonValues.Guid(value);
                    return true;
                case "displayName":
                    DisplayName = JsonValues.String(value);
                    return true;
                case "appDisplayName":
                    AppDisplayName = JsonValues.String(value);
                    return true;
                case "servicePrincipalType":
                    ServicePrincipalType = JsonValues.String(value);
                    return true;
                case "accountEnabled":
                    AccountEnabled = value.ValueKind == JsonValueKind.True ? true : value.ValueKind == JsonValueKind.False ? false : (bool?)null;
                    return true;
                case "appOwnerOrganizationId":
                    AppOwnerOrganizationId = JsonValues.Guid(value);
                    return true;
                case "signInAudience":
                    SignInAudience = JsonValues.String(value);
                    return true;
                case "servicePrincipalNames":
                    ServicePrincipalNames = JsonValues.Strings(value);
                    return true;
                case "tags":
                    Tags = JsonValues.Strings(value);
                    return true;
                case "appRoles":
                    AppRoles = Objects(value, AppRole.FromJson);
                    return true;
                case "oauth2PermissionScopes":
                    Oauth2PermissionScopes = Objects(value, PermissionScope.FromJson);
                    return true;
                default:
                    return s_modelled.Contains(name);
            }
        }

        [MethodImpl(HotPath.Optimized)]
        private static IReadOnlyList<T> Objects<T>(JsonElement array, Func<JsonElement, T> read)
        {
            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
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
