using System;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.SharePoint
{
    /// <summary>The checks of a site URL before any site administration request: the tenant's, and never its root or admin site.</summary>
    internal static class TenantSiteUrls
    {
        /// <summary>The site collection URL, absolute https on the tenant's SharePoint or OneDrive host, with no query.</summary>
        public static async Task<string> SiteUrlAsync(Connection connection, ResourceRequestSender sender, string url, CancellationToken cancellationToken)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            M365Resource tenant = await connection.ResolveResourceAsync("SharePoint", sender, cancellationToken).ConfigureAwait(false);
            M365Resource my = await connection.ResolveResourceAsync("SharePointMy", sender, cancellationToken).ConfigureAwait(false);
            M365Resource admin = await connection.ResolveResourceAsync("SharePointAdmin", sender, cancellationToken).ConfigureAwait(false);
            return Check(url, tenant, my, admin);
        }

        /// <summary>
        /// The site collection URL (no trailing slash, no query): an absolute https URL on one of <paramref name="hosts"/>,
        /// the first of which (the tenant's SharePoint) the error names.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteParameterInvalid"/> ([SiteUrlOnTenant]), targeting <paramref name="url"/>.</exception>
        public static string Check(string url, params M365Resource[] hosts)
        {
            string given = url.Trim();
            M365Resource tenant = hosts[0];
            if (!Uri.TryCreate(given, UriKind.Absolute, out Uri? site) || site.Scheme != Uri.UriSchemeHttps || !Array.Exists(hosts, h => h.Covers(site))
                || site.Query.Length > 0 || site.Fragment.Length > 0)
            {
                throw new M365Exception(
                    ServiceErrorIds.SiteParameterInvalid,
                    $"'{given}' is not a site URL of this tenant: [SiteUrlOnTenant] give an absolute https URL on {tenant.Origin.Host}, with no query.",
                    $"Give a URL such as {tenant.Origin.AbsoluteUri}sites/news.",
                    url);
            }

            return site.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        /// <summary>As <see cref="SiteUrlAsync"/>, refusing the tenant's root site and any URL on its admin host.</summary>
        public static async Task<string> RemovableUrlAsync(Connection connection, ResourceRequestSender sender, string url, CancellationToken cancellationToken)
        {
            string siteUrl = await SiteUrlAsync(connection, sender, url, cancellationToken).ConfigureAwait(false);
            var site = new Uri(siteUrl);
            M365Resource admin = await connection.ResolveResourceAsync("SharePointAdmin", sender, cancellationToken).ConfigureAwait(false);
            if (admin.Covers(site) || site.AbsolutePath.Trim('/').Length == 0)
            {
                throw new M365Exception(
                    ServiceErrorIds.SiteRemovalRefused,
                    $"{siteUrl} was not removed: it is the tenant's {(admin.Covers(site) ? "SharePoint admin center" : "root site")}, which this module never removes.",
                    "Give the URL of a site collection such as " + new Uri(site, "/sites/news").AbsoluteUri + "; nothing was sent to SharePoint.",
                    url);
            }

            return siteUrl;
        }
    }
}
