using System;

namespace M365.Core.Resources
{
    /// <summary>
    /// The rules of <see cref="ResourceResolver.ForAudience"/>: a Microsoft audience goes only to its own host, and the
    /// caller's own audience only to a host that is not Microsoft's.
    /// </summary>
    internal static class AudienceBinding
    {
        public static M365Resource Bind(ResourceResolver resolver, Uri url, string audience)
        {
            M365Resource target = resolver.FromUrl(url);
            if (string.IsNullOrWhiteSpace(audience))
            {
                throw new ArgumentException("An audience is required.", nameof(audience));
            }

            string trimmed = audience.Trim().TrimEnd('/');
            ResourceKind? named = KindOfName(trimmed);
            string? host = null;
            ResourceKind? firstParty = named ?? FirstPartyAudiences.KindOf(trimmed, out host);
            if (firstParty != null)
            {
                if (IsOwnAudience(resolver, firstParty.Value, named != null ? trimmed : null, host, target, url))
                {
                    return target;
                }

                throw HostMismatch(
                    $"-Resource '{trimmed}' asks for a {FirstPartyAudiences.Describe(firstParty.Value)} token, which goes only to {OwnHostOf(resolver, firstParty.Value, named != null ? trimmed : null, host)}; {url.Host} is not that host, so nothing was sent.",
                    url);
            }

            ResourceKind? hostKind = target.Kind != ResourceKind.Other ? target.Kind : FirstPartyAudiences.KindOfHost(AsciiCase.ToLower(url.Host));
            if (hostKind != null)
            {
                throw HostMismatch(
                    $"{url.Host} is a {FirstPartyAudiences.Describe(hostKind.Value)} host, which gets only its own token; a token for '{trimmed}' is not sent there, so nothing was sent.",
                    url);
            }

            M365Resource custom = resolver.FromName(trimmed);
            return custom.Covers(url)
                ? custom
                : new M365Resource(ResourceKind.Other, target.Origin, custom.ResourceId, custom.Scope, delegatedOnly: false, keySuffix: AsciiCase.ToLower(custom.ResourceId));
        }

        private static ResourceKind? KindOfName(string name)
        {
            string? match = Array.Find(ResourceResolver.s_names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            return match is null ? null : (ResourceKind)Enum.Parse(typeof(ResourceKind), match);
        }

        // True when the named Microsoft audience is the one the URL's host takes anyway.
        private static bool IsOwnAudience(ResourceResolver resolver, ResourceKind kind, string? name, string? host, M365Resource target, Uri url)
        {
            if (host != null)
            {
                // A host that is no valid URL authority (an underscore, an empty label) covers nothing: refused as a mismatch.
                return Uri.TryCreate("https://" + host, UriKind.Absolute, out Uri? own) && resolver.FromUrl(own).Covers(url);
            }

            if (name is null)
            {
                // An app id: SharePoint's one app id stands for every SharePoint host.
                return kind == target.Kind || (FirstPartyAudiences.IsSharePoint(kind) && FirstPartyAudiences.IsSharePoint(target.Kind));
            }

            return kind == target.Kind && (!FirstPartyAudiences.IsSharePoint(kind) || resolver.SharePointTenant is null || resolver.FromName(name).Covers(url));
        }

        // The host a Microsoft audience's token goes to, for the message.
        private static string OwnHostOf(ResourceResolver resolver, ResourceKind kind, string? name, string? host)
        {
            if (host != null)
            {
                return host;
            }

            if (name is null && FirstPartyAudiences.IsSharePoint(kind))
            {
                return "*." + resolver.Cloud.SharePointSuffix;
            }

            try
            {
                return resolver.FromName(name ?? kind.ToString()).Origin.Host;
            }
            catch (M365Exception)
            {
                return "its own host";
            }
        }

        private static M365Exception HostMismatch(string message, Uri url) =>
            new M365Exception(
                ResourceErrorIds.ResourceHostMismatch,
                message,
                "Leave out -Resource for Microsoft 365 URLs: the URL's host picks its own token. Use -Resource only with your own API's https URL and its App ID URI (api://…) or app id.",
                url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped));
    }
}
