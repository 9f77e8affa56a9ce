using System;
using System.Collections.Generic;
using M365.Core.Clouds;

namespace M365.Core.Resources
{
    /// <summary>
    /// Maps request URLs and resource names to <see cref="M365Resource"/>s for one cloud and (once known) one
    /// SharePoint tenant. Immutable: <see cref="WithSharePointTenant"/> returns a new resolver.
    /// </summary>
    public sealed class ResourceResolver
    {
        internal static readonly string[] s_names =
        {
            "Graph", "SharePoint", "SharePointAdmin", "SharePointMy", "Management", "AzureManagement", "Yammer", "AadGraph",
        };

        private const string YammerScope = "https://api.yammer.com/user_impersonation";
        private const string YammerApiHost = "api.yammer.com";

        /// <summary>Creates a resolver.</summary>
        /// <param name="cloud">The connection's cloud.</param>
        /// <param name="sharePointTenant">
        /// The SharePoint tenant name (<c>contoso</c>), a tenant URL (<c>https://contoso.sharepoint.com</c>), or null while unknown.
        /// </param>
        public ResourceResolver(CloudEnvironment cloud, string? sharePointTenant = null)
        {
            Cloud = cloud ?? throw new ArgumentNullException(nameof(cloud));
            SharePointTenant = sharePointTenant is null ? null : NormalizeTenant(cloud, sharePointTenant);
            Graph = Create(ResourceKind.Graph, cloud.GraphHost);
        }

        /// <summary>The names <see cref="FromName"/> accepts, for tab completion.</summary>
        public static IReadOnlyList<string> ResourceNames => s_names;

        /// <summary>The cloud whose hosts this resolver knows.</summary>
        public CloudEnvironment Cloud { get; }

        /// <summary>The SharePoint tenant name (lower case, e.g. <c>contoso</c>), or null while unknown.</summary>
        public string? SharePointTenant { get; }

        /// <summary>The Microsoft Graph resource of this cloud.</summary>
        public M365Resource Graph { get; }

        /// <summary>
        /// The SharePoint tenant name a tenant's initial domain implies (<c>contoso.onmicrosoft.com</c> gives <c>contoso</c>),
        /// or null when <paramref name="tenantDomain"/> is not an initial domain whose name is a valid SharePoint tenant name
        /// (then the tenant is learned from Graph when first needed).
        /// </summary>
        /// <param name="tenantDomain">The tenant given at sign-in, e.g. <c>contoso.onmicrosoft.com</c>, or null.</param>
        public static string? SharePointTenantFromInitialDomain(string? tenantDomain)
        {
            const string InitialDomainSuffix = ".onmicrosoft.com";
            if (tenantDomain is null || !tenantDomain.EndsWith(InitialDomainSuffix, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string name = AsciiCase.ToLower(tenantDomain.Substring(0, tenantDomain.Length - InitialDomainSuffix.Length));
            return IsTenantName(name) ? name : null;
        }

        /// <summary>Returns a resolver that also knows the SharePoint tenant.</summary>
        /// <param name="sharePointTenant">A tenant name (<c>contoso</c>) or tenant URL.</param>
        public ResourceResolver WithSharePointTenant(string sharePointTenant) => new ResourceResolver(Cloud, sharePointTenant);

        /// <summary>Picks the resource whose token a request to <paramref name="url"/> needs, by the URL's origin.</summary>
        /// <param name="url">An absolute https URL.</param>
        /// <returns>The resource; an unknown host gives <see cref="ResourceKind.Other"/> with the URL's own origin.</returns>
        /// <exception cref="M365Exception"><see cref="ResourceErrorIds.ResourceUrlNotHttps"/> for a relative or non-https URL.</exception>
        public M365Resource FromUrl(Uri url)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps)
            {
                throw new M365Exception(
                    ResourceErrorIds.ResourceUrlNotHttps,
                    $"'{url.OriginalString}' is not an absolute https URL; access tokens are only sent over https.",
                    "Use an absolute URL that starts with https://.",
                    url);
            }

            // "https://@host/" has an empty UserInfo, yet its authority keeps the '@', so it is refused too.
            if (url.GetLeftPart(UriPartial.Authority).IndexOf('@') >= 0)
            {
                throw new M365Exception(
                    ResourceErrorIds.ResourceUrlNotHttps,
                    $"'{url.GetComponents(UriComponents.SchemeAndServer, UriFormat.SafeUnescaped)}…' carries user information before its host; access tokens are only sent to plain https URLs.",
                    "Remove the 'user@' part from the URL.",
                    url.GetComponents(UriComponents.SchemeAndServer, UriFormat.SafeUnescaped));
            }

            // ASCII case folding only: ToLowerInvariant turns a Kelvin sign into 'k', naming another host than the URL's.
            string host = AsciiCase.ToLower(url.Host);
            if (url.IsDefaultPort)
            {
                M365Resource? known = FromKnownHost(host);
                if (known != null)
                {
                    return known;
                }
            }

            string origin = AsciiCase.ToLower(url.GetLeftPart(UriPartial.Authority));
            return new M365Resource(ResourceKind.Other, new Uri(origin), origin, origin + "/.default", delegatedOnly: false);
        }

        /// <summary>
        /// Resolves a resource name (see <see cref="ResourceNames"/>, any case), an absolute https URL (of an unknown host with a
        /// path, the whole URL is the audience), or the caller's own API by App ID URI or app id: that resource has no origin
        /// (<see cref="M365Resource.HasOrigin"/> is false), so its token is handed to the caller and never sent by the module.
        /// A Microsoft app id gives its service (Graph for <c>00000003-0000-0000-c000-000000000000</c>).
        /// </summary>
        /// <param name="nameOrUrl">For example <c>Graph</c>, <c>sharepointadmin</c>, <c>https://contoso.sharepoint.com</c> or <c>api://contoso-api</c>.</param>
        /// <exception cref="M365Exception">
        /// <see cref="ResourceErrorIds.ResourceNameUnknown"/>, <see cref="ResourceErrorIds.SharePointTenantUnknown"/>,
        /// <see cref="ResourceErrorIds.ResourceNotInCloud"/> or <see cref="ResourceErrorIds.ResourceUrlNotHttps"/>.
        /// </exception>
        public M365Resource FromName(string nameOrUrl)
        {
            if (string.IsNullOrWhiteSpace(nameOrUrl))
            {
                throw new ArgumentException("A resource name or URL is required.", nameof(nameOrUrl));
            }

            string name = nameOrUrl.Trim();
            switch (name.ToLowerInvariant())
            {
                case "graph": return Graph;
                case "sharepoint": return Create(ResourceKind.SharePoint, SharePointHost(string.Empty, name));
                case "sharepointadmin": return Create(ResourceKind.SharePointAdmin, SharePointHost("-admin", name));
                case "sharepointmy": return Create(ResourceKind.SharePointMy, SharePointHost("-my", name));
                case "management": return Create(ResourceKind.Management, Cloud.ManagementHost);
                case "azuremanagement": return Create(ResourceKind.AzureManagement, Cloud.AzureManagementHost);
                case "aadgraph": return Create(ResourceKind.AadGraph, Cloud.AadGraphHost);
                case "yammer":
                    return Create(ResourceKind.Yammer, Cloud.YammerHost ?? throw new M365Exception(
                        ResourceErrorIds.ResourceNotInCloud,
                        $"Yammer is not available in the {Cloud.Name} cloud.",
                        "Use Yammer from a connection to the Public cloud.",
                        name));
            }

            if (Uri.TryCreate(name, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
            {
                M365Resource byUrl = FromUrl(url);
                string audience = name.TrimEnd('/');
                // The caller's own API may have an App ID URI with a path (https://contoso.com/api): that is its audience.
                return byUrl.Kind != ResourceKind.Other || url.AbsolutePath == "/" || audience.IndexOf('?') >= 0 || audience.IndexOf('#') >= 0
                    ? byUrl
                    : new M365Resource(ResourceKind.Other, byUrl.Origin, audience, audience + "/.default", delegatedOnly: false, keySuffix: AsciiCase.ToLower(audience));
            }

            if (Guid.TryParse(name, out Guid appId))
            {
                ResourceKind? firstParty = FirstPartyAudiences.KindOf(name, out _);
                return firstParty != null ? FromName(firstParty.Value.ToString()) : M365Resource.WithoutOrigin(appId.ToString("D"), appId.ToString("D") + "/.default");
            }

            if (url != null && url.Scheme != Uri.UriSchemeFile && name.IndexOf("://", StringComparison.Ordinal) > 0 && name.IndexOfAny(new[] { ' ', '\t', '\r', '\n', '\0' }) < 0)
            {
                // An App ID URI (api://contoso-api): a token for the caller, never sent anywhere by this resource.
                string audience = name.TrimEnd('/');
                return M365Resource.WithoutOrigin(audience, audience + "/.default");
            }

            throw new M365Exception(
                ResourceErrorIds.ResourceNameUnknown,
                $"'{name}' is not a known resource.",
                "Use one of " + string.Join(", ", s_names) + ", an absolute https URL, an App ID URI (api://…) or an app id.",
                name);
        }

        /// <summary>
        /// The resource whose token a request to <paramref name="url"/> carries when the caller names the audience
        /// (<c>-Resource</c>). A Microsoft audience (Graph, a SharePoint host, Management, Azure Service Management, Yammer,
        /// Azure AD Graph, in any cloud, by name, URL or app id) is accepted only for a URL of its own host, and then gives that
        /// host's own resource. Any other audience (the caller's API: an App ID URI, an app id, an https URL) is bound to the
        /// URL's origin only, which must not be a Microsoft host, so the token goes nowhere else.
        /// </summary>
        /// <param name="url">The absolute https request URL.</param>
        /// <param name="audience">A resource name (Graph, …), a resource URL, an App ID URI such as <c>api://my-api</c>, or an app id.</param>
        /// <exception cref="M365Exception">
        /// <see cref="ResourceErrorIds.ResourceHostMismatch"/> when the audience and the URL's host do not belong together;
        /// as <see cref="FromUrl"/> and <see cref="FromName"/> otherwise.
        /// </exception>
        public M365Resource ForAudience(Uri url, string audience) => AudienceBinding.Bind(this, url, audience);

        private M365Resource? FromKnownHost(string host)
        {
            if (host == Cloud.GraphHost)
            {
                return Graph;
            }

            if (host == Cloud.ManagementHost)
            {
                return Create(ResourceKind.Management, host);
            }

            if (host == Cloud.AzureManagementHost)
            {
                return Create(ResourceKind.AzureManagement, host);
            }

            if (host == Cloud.AadGraphHost)
            {
                return Create(ResourceKind.AadGraph, host);
            }

            if (Cloud.YammerHost != null && (host == Cloud.YammerHost || host == YammerApiHost))
            {
                return Create(ResourceKind.Yammer, Cloud.YammerHost);
            }

            string suffix = "." + Cloud.SharePointSuffix;
            if (host.EndsWith(suffix, StringComparison.Ordinal))
            {
                string label = host.Substring(0, host.Length - suffix.Length);
                if (label.Length > 0 && label.IndexOf('.') < 0)
                {
                    ResourceKind kind = label.EndsWith("-admin", StringComparison.Ordinal) ? ResourceKind.SharePointAdmin
                        : label.EndsWith("-my", StringComparison.Ordinal) ? ResourceKind.SharePointMy
                        : ResourceKind.SharePoint;
                    return Create(kind, host);
                }
            }

            return null;
        }

        private static M365Resource Create(ResourceKind kind, string host)
        {
            var origin = new Uri("https://" + host);
            string originText = "https://" + host;
            switch (kind)
            {
                case ResourceKind.AzureManagement:
                    // ARM's v1 resource id ends in a slash, and the token's aud keeps it; the scope therefore has "//.default".
                    return new M365Resource(kind, origin, originText + "/", originText + "//.default", delegatedOnly: false);
                case ResourceKind.Yammer:
                    return new M365Resource(kind, origin, originText, YammerScope, delegatedOnly: true, alternateHost: YammerApiHost);
                default:
                    return new M365Resource(kind, origin, originText, originText + "/.default", delegatedOnly: false);
            }
        }

        private string SharePointHost(string labelSuffix, string requestedName)
        {
            if (SharePointTenant is null)
            {
                throw new M365Exception(
                    ResourceErrorIds.SharePointTenantUnknown,
                    $"The SharePoint tenant of this connection is not known yet, so '{requestedName}' cannot be resolved.",
                    "Pass the SharePoint URL (https://<tenant>.sharepoint.com) instead of the name, or connect with -Tenant <tenant>.onmicrosoft.com.",
                    requestedName);
            }

            return SharePointTenant + labelSuffix + "." + Cloud.SharePointSuffix;
        }

        private static string NormalizeTenant(CloudEnvironment cloud, string value)
        {
            // ASCII case folding only: ToLowerInvariant, and Uri's IDN mapping of a host, turn look-alikes such as the
            // Kelvin sign or a dotted capital I into ASCII letters, so "contİso" named the tenant "contiso".
            string typed = AsciiCase.ToLower(value.Trim());
            string label = typed;
            if (Uri.TryCreate(label, UriKind.Absolute, out Uri? url) && url.Scheme == Uri.UriSchemeHttps)
            {
                label = url.Host;
            }

            string suffix = "." + cloud.SharePointSuffix;
            if (label.EndsWith(suffix, StringComparison.Ordinal))
            {
                label = label.Substring(0, label.Length - suffix.Length);
                if (label.EndsWith("-admin", StringComparison.Ordinal))
                {
                    label = label.Substring(0, label.Length - "-admin".Length);
                }
                else if (label.EndsWith("-my", StringComparison.Ordinal))
                {
                    label = label.Substring(0, label.Length - "-my".Length);
                }
            }

            if (!IsTenantName(label) || typed.IndexOf(label, StringComparison.Ordinal) < 0)
            {
                throw new M365Exception(
                    ResourceErrorIds.SharePointTenantInvalid,
                    $"'{value}' is not a SharePoint tenant name or tenant URL of the {cloud.Name} cloud.",
                    $"Give the tenant name (contoso) or its URL (https://contoso.{cloud.SharePointSuffix}).",
                    value);
            }

            return label;
        }

        // Tenant names are lower-case ASCII letters and digits only, which is what makes the -admin and -my hosts unambiguous.
        private static bool IsTenantName(string label)
        {
            bool valid = label.Length > 0 && label.Length <= 63;
            foreach (char c in label)
            {
                valid &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            }

            return valid;
        }
    }
}
