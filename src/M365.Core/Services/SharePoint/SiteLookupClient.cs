using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// Reads where a site collection stands, with the calls a SharePoint client makes: the tenant's
    /// <c>_api/SPSiteManager/status</c> for its status and id, then, once it is ready, the site's own <c>_api/web</c> and
    /// <c>_api/site</c> for its title, template, creation time and group. Delegated and app-only alike. Thread-safe.
    /// </summary>
    public sealed class SiteLookupClient
    {
        private readonly Connection _connection;
        private readonly ResourceRequestSender _sender;

        /// <summary>Creates a client.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        public SiteLookupClient(Connection connection, ResourceRequestSender? sender = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _sender = sender ?? connection.Requests;
        }

        /// <summary>Reads the site at <paramref name="url"/>.</summary>
        /// <param name="url">The site collection's absolute URL on the connection's SharePoint host.</param>
        /// <param name="cancellationToken">Cancels the requests.</param>
        /// <returns>The site: <see cref="SpoSiteStatus.Provisioning"/> (URL, status and id only), <see cref="SpoSiteStatus.Ready"/> or <see cref="SpoSiteStatus.Failed"/>.</returns>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteParameterInvalid"/> before any request, for a URL that is not one of the tenant's.</exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteNotFound"/>, or the request's failure; the target is <paramref name="url"/>.</exception>
        public async Task<SpoSite> GetAsync(string url, CancellationToken cancellationToken = default)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            M365Resource tenant = await _connection.ResolveResourceAsync("SharePoint", _sender, cancellationToken).ConfigureAwait(false);
            string siteUrl = TenantSiteUrls.Check(url, tenant);
            try
            {
                var statusUrl = new Uri(tenant.Origin, "_api/SPSiteManager/status?url=" + Uri.EscapeDataString("'" + siteUrl.Replace("'", "''") + "'"));
                int status;
                Guid? siteId;
                using (JsonDocument answer = await _sender.GetJsonAsync(statusUrl, cancellationToken).ConfigureAwait(false))
                {
                    JsonElement root = answer.RootElement;
                    bool isObject = root.ValueKind == JsonValueKind.Object;
                    status = isObject ? JsonValues.Int(root, "SiteStatus") ?? 0 : 0;
                    siteId = isObject ? JsonValues.Guid(root, "SiteId") : null;
                    if (isObject && JsonValues.String(root, "SiteUrl") is { Length: > 0 } reported)
                    {
                        siteUrl = reported.TrimEnd('/');
                    }
                }

                switch (status)
                {
                    case 1:
                        return new SpoSite(siteUrl, SpoSiteStatus.Provisioning, NonEmpty(siteId), null, null, null, null);
                    case 2:
                        return await ReadyAsync(siteUrl, NonEmpty(siteId), cancellationToken).ConfigureAwait(false);
                    case 3:
                        return new SpoSite(siteUrl, SpoSiteStatus.Failed, NonEmpty(siteId), null, null, null, null);
                    default:
                        throw NotFound(url, siteUrl, null);
                }
            }
            catch (M365HttpException ex) when (ex.StatusCode == 404)
            {
                // The status said ready, but the site answers 404 (deleted meanwhile): it is not there.
                throw NotFound(url, siteUrl, ex);
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, url);
            }
        }

        private static Guid? NonEmpty(Guid? id) => id is Guid value && value != Guid.Empty ? value : null;

        private static M365ServiceException NotFound(string target, string siteUrl, M365HttpException? cause) =>
            new M365ServiceException(
                ServiceErrorIds.SiteNotFound,
                $"There is no site at {siteUrl}.",
                "Check the URL (the site collection's own URL, such as https://contoso.sharepoint.com/sites/news); a site just submitted with Add-M365SpoSite shows as Provisioning, not as missing.",
                target,
                cause);

        private async Task<SpoSite> ReadyAsync(string siteUrl, Guid? siteId, CancellationToken cancellationToken)
        {
            string? title;
            string? template;
            DateTimeOffset? created;
            using (JsonDocument web = await _sender.GetJsonAsync(new Uri(siteUrl + "/_api/web"), cancellationToken).ConfigureAwait(false))
            {
                JsonElement root = web.RootElement;
                bool isObject = root.ValueKind == JsonValueKind.Object;
                title = isObject ? JsonValues.String(root, "Title") : null;
                string? name = isObject ? JsonValues.String(root, "WebTemplate") : null;
                template = name is { Length: > 0 } ? name + "#" + (JsonValues.Int(root, "Configuration") ?? 0).ToString(CultureInfo.InvariantCulture) : null;
                created = isObject ? Utc(JsonValues.String(root, "Created")) : null;
            }

            Guid? groupId;
            using (JsonDocument site = await _sender.GetJsonAsync(new Uri(siteUrl + "/_api/site"), cancellationToken).ConfigureAwait(false))
            {
                JsonElement root = site.RootElement;
                bool isObject = root.ValueKind == JsonValueKind.Object;
                groupId = isObject ? NonEmpty(JsonValues.Guid(root, "GroupId")) : null;
                siteId ??= isObject ? NonEmpty(JsonValues.Guid(root, "Id")) : null;
            }

            return new SpoSite(siteUrl, SpoSiteStatus.Ready, siteId, groupId, title, template, created);
        }

        /// <summary>SharePoint writes <c>Created</c> in UTC, with or without a zone ("2017-06-01T00:00:00").</summary>
        private static DateTimeOffset? Utc(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value)
                ? value
                : (DateTimeOffset?)null;
    }
}
