using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Reads Microsoft Graph service principals through a connection's pipeline: one request per single lookup, batches of
    /// 20 for many, and a list that streams page by page. Thread-safe.
    /// </summary>
    public sealed class ServicePrincipalClient
    {
        /// <summary>The page size asked for when listing (Graph's maximum).</summary>
        public const int ListPageSize = 999;

        private readonly ResourceRequestSender _sender;
        private readonly GraphBatchSender _batches;
        private readonly string _collection;

        /// <summary>Creates a client.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        public ServicePrincipalClient(Connection connection, ResourceRequestSender? sender = null)
            : this(sender ?? NotNull(connection).Requests, NotNull(connection).Resources.Graph.Origin)
        {
        }

        internal ServicePrincipalClient(ResourceRequestSender sender, Uri graphOrigin)
        {
            _sender = sender;
            _batches = new GraphBatchSender(sender, graphOrigin);
            _collection = new Uri(graphOrigin, "v1.0/servicePrincipals").AbsoluteUri;
        }

        private static Connection NotNull(Connection connection) => connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>
        /// Receives each item of a listing (<see cref="ListAsync"/>, <see cref="GetByDisplayNameAsync"/>) that is not a service
        /// principal object, as a <see cref="ServiceErrorIds.ResponseItemInvalid"/> error; the item is skipped and the listing goes
        /// on. It runs on the thread that takes the items, in the item's place in the listing. Null (the default): such an item ends the listing with that error.
        /// Set it before the first call.
        /// </summary>
        public Action<M365ServiceException>? InvalidItem { get; set; }

        /// <summary>
        /// Makes each listed service principal, empty, for the listing to fill: a host's derived type (the module's
        /// <c>M365.ServicePrincipal</c>, named for its format views) is then made directly, not copied from a Core one. Null:
        /// Core's own type.
        /// </summary>
        public Func<ServicePrincipal>? NewObject { get; set; }

        /// <summary>Looks one service principal up by app id, with one request (<c>$filter=appId eq '…'</c>).</summary>
        /// <param name="appId">The application (client) id.</param>
        /// <param name="properties">The properties to select (<c>$select</c>), or null for Graph's default set.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.ServicePrincipalNotFound"/>, or the request's failure.</exception>
        public Task<ServicePrincipal> GetByAppIdAsync(Guid appId, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default) =>
            GetAsync(ServicePrincipalLookup.ByAppId(appId), properties, cancellationToken);

        /// <summary>Looks one service principal up by object id, with one request (<c>/servicePrincipals/{id}</c>).</summary>
        /// <param name="objectId">The object id.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.ServicePrincipalNotFound"/> on a 404, or the request's failure.</exception>
        public Task<ServicePrincipal> GetByIdAsync(Guid objectId, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default) =>
            GetAsync(ServicePrincipalLookup.ById(objectId), properties, cancellationToken);

        /// <summary>Looks one service principal up, with one request.</summary>
        /// <param name="lookup">What to look up.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365ServiceException">As <see cref="GetByAppIdAsync"/>.</exception>
        public async Task<ServicePrincipal> GetAsync(ServicePrincipalLookup lookup, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default)
        {
            if (lookup is null)
            {
                throw new ArgumentNullException(nameof(lookup));
            }

            string select = SelectQuery(properties, lookup);
            try
            {
                using JsonDocument answer = await _sender.GetJsonAsync(new Uri(_collection + RelativeUrl(lookup, select)), cancellationToken).ConfigureAwait(false);
                return ServicePrincipalAnswer.Read(lookup, answer.RootElement);
            }
            catch (M365HttpException ex)
            {
                throw ErrorFor(lookup, ex);
            }
        }

        /// <summary>
        /// Looks many service principals up in Graph batches of 20 and returns one result per input, in input order; one
        /// input's failure (not found, throttled beyond the retries) is its result's error, never the others'.
        /// </summary>
        /// <param name="lookups">The inputs.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels the batches.</param>
        /// <exception cref="M365Exception">Nothing could be sent (no token), or a property name that is not one.</exception>
        public async Task<IReadOnlyList<ServicePrincipalResult>> LookupAsync(IEnumerable<ServicePrincipalLookup> lookups, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default)
        {
            var results = new List<ServicePrincipalResult>();
            await foreach (ServicePrincipalResult result in LookupAllAsync(lookups, properties, cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
            }

            return results;
        }

        /// <summary>
        /// As <see cref="LookupAsync"/>, streamed: the input is read lazily, at most one window
        /// (<see cref="ServicePrincipalLookups.Window"/>) ahead of the results taken, a few batches go out at once, and the
        /// results are yielded in input order as soon as they are ready.
        /// </summary>
        /// <param name="lookups">The inputs.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels the batches.</param>
        public async IAsyncEnumerable<ServicePrincipalResult> LookupAllAsync(IEnumerable<ServicePrincipalLookup> lookups, IEnumerable<string>? properties = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (lookups is null)
            {
                throw new ArgumentNullException(nameof(lookups));
            }

            using ServicePrincipalLookups window = OpenLookups(properties, cancellationToken);
            IEnumerable<ServicePrincipalLookup> checkedLookups = lookups.Select(l => l ?? throw new ArgumentException("A lookup is null.", nameof(lookups)));
            await foreach (ServicePrincipalResult result in OrderedWindow.StreamAsync(window, checkedLookups, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Opens a window of batched lookups for inputs that arrive one by one (piped ids): add each, take the results in input
        /// order as they are ready (see <see cref="GraphBatchStream"/>).
        /// </summary>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels every batch of the window.</param>
        /// <exception cref="M365Exception"><see cref="HttpErrorIds.BadRequest"/>: a property name that is not one (nothing is sent).</exception>
        public ServicePrincipalLookups OpenLookups(IEnumerable<string>? properties = null, CancellationToken cancellationToken = default)
        {
            List<string>? names = properties?.ToList();
            SelectQuery(names, ServicePrincipalLookup.ByAppId(Guid.Empty));
            return new ServicePrincipalLookups(
                _batches.Open(cancellationToken),
                lookup => GraphBatchRequest.Get("/servicePrincipals" + RelativeUrl(lookup, SelectQuery(names, lookup))),
                ResultOf);
        }

        private static ServicePrincipalResult ResultOf(ServicePrincipalLookup lookup, GraphBatchResponse answer)
        {
            if (answer.Error != null)
            {
                // When the batch as a whole failed, a 404 is not this lookup's.
                return new ServicePrincipalResult(lookup, null, answer.IsBatchFailure ? M365ServiceException.ForInput(answer.Error, lookup.Value) : ErrorFor(lookup, answer.Error));
            }

            try
            {
                return answer.Body is JsonElement body
                    ? new ServicePrincipalResult(lookup, ServicePrincipalAnswer.Read(lookup, body), null)
                    : new ServicePrincipalResult(lookup, null, NotFound(lookup, null));
            }
            catch (M365ServiceException ex)
            {
                return new ServicePrincipalResult(lookup, null, ex);
            }
        }

        /// <summary>
        /// Every service principal whose display name equals <paramref name="displayName"/> (all matches, paged). A name
        /// ending in <c>*</c> is a prefix (<c>startswith(displayName,'…')</c>, no match is no error, as with PowerShell
        /// wildcards) and <c>*</c> alone lists every one; an exact name that matches nothing is
        /// <see cref="ServiceErrorIds.ServicePrincipalNotFound"/>.
        /// </summary>
        /// <param name="displayName">The display name, or a prefix followed by <c>*</c>.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels paging.</param>
        /// <exception cref="M365Exception"><see cref="HttpErrorIds.BadRequest"/> for a <c>*</c> anywhere but at the end (nothing is sent).</exception>
        public IAsyncEnumerable<ServicePrincipal> GetByDisplayNameAsync(string displayName, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default) =>
            GetByDisplayNameAsync(displayName, properties, null, null, cancellationToken);

        /// <summary>As <see cref="GetByDisplayNameAsync(string, IEnumerable{string}, CancellationToken)"/>, with Graph's query options (see <see cref="ListAsync(string, IEnumerable{string}, ServicePrincipalQuery, Action{long}, CancellationToken)"/>).</summary>
        /// <param name="displayName">The display name, or a prefix followed by <c>*</c>.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="query">The query options, or null.</param>
        /// <param name="onCount">Receives Graph's count when <see cref="ServicePrincipalQuery.Count"/> is set.</param>
        /// <param name="cancellationToken">Cancels paging.</param>
        public IAsyncEnumerable<ServicePrincipal> GetByDisplayNameAsync(string displayName, IEnumerable<string>? properties, ServicePrincipalQuery? query, Action<long>? onCount, CancellationToken cancellationToken = default)
        {
            string filter = DisplayNameFilter(displayName ?? throw new ArgumentNullException(nameof(displayName)), out bool isPattern);
            return isPattern
                ? ListAsync(filter, properties, query, onCount, cancellationToken)
                : ExactlyNamedAsync(displayName, ListAsync(filter, properties, query, onCount, cancellationToken));
        }

        /// <summary>The <c>$filter</c> for a display name or a <c>prefix*</c> pattern (null: every one).</summary>
        /// <param name="displayName">The name or pattern.</param>
        /// <param name="isPattern">Whether it is a pattern.</param>
        /// <exception cref="M365Exception"><see cref="HttpErrorIds.BadRequest"/>: a <c>*</c> elsewhere than at the end.</exception>
        public static string DisplayNameFilter(string displayName, out bool isPattern)
        {
            if (displayName is null)
            {
                throw new ArgumentNullException(nameof(displayName));
            }

            int star = displayName.IndexOf('*');
            isPattern = star >= 0;
            if (!isPattern)
            {
                return "displayName eq " + ODataString(displayName);
            }

            if (star != displayName.Length - 1)
            {
                throw new M365Exception(
                    HttpErrorIds.BadRequest,
                    $"'{displayName}': Graph matches service principal display names by prefix only, so a * can only end the name.",
                    "Put the * at the end ('Office*'), or pass -Filter with an OData expression.",
                    displayName);
            }

            return star == 0 ? string.Empty : "startswith(displayName," + ODataString(displayName.Substring(0, star)) + ")";
        }

        private static async IAsyncEnumerable<ServicePrincipal> ExactlyNamedAsync(string displayName, IAsyncEnumerable<ServicePrincipal> matches)
        {
            bool any = false;
            await foreach (ServicePrincipal sp in matches.ConfigureAwait(false))
            {
                any = true;
                yield return sp;
            }

            if (!any)
            {
                throw new M365ServiceException(
                    ServiceErrorIds.ServicePrincipalNotFound,
                    $"No service principal has the display name '{displayName}'.",
                    "Check the name (Graph compares it whole, ignoring case), or end it with * to match a prefix ('Office*').",
                    displayName,
                    null);
            }
        }

        /// <summary>
        /// Streams service principals page by page (<c>$top=999</c>): each is yielded as its page arrives. The second page is
        /// requested only when the consumer asks past the end of the first, so stopping within it (after 5 objects) sends one
        /// request; from then on the next page is read ahead (fetched and read, once, straight into objects on the thread pool)
        /// while the consumer works through the current one, so memory holds two pages of objects at most.
        /// </summary>
        /// <param name="filter">A raw OData <c>$filter</c>, or null for all.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="cancellationToken">Cancels paging and the read-ahead.</param>
        public IAsyncEnumerable<ServicePrincipal> ListAsync(string? filter = null, IEnumerable<string>? properties = null, CancellationToken cancellationToken = default) =>
            ListAsync(filter, properties, null, null, cancellationToken);

        /// <summary>
        /// As <see cref="ListAsync(string, IEnumerable{string}, CancellationToken)"/>, with Graph's query options: with
        /// <see cref="ServicePrincipalQuery.Top"/> only <c>$top=min(Top, 999)</c> is asked for and paging stops once Top are
        /// read; a search, a count, or a sort with a filter or search sends <c>ConsistencyLevel: eventual</c> on every page.
        /// </summary>
        /// <param name="filter">A raw OData <c>$filter</c>, or null for all.</param>
        /// <param name="properties">The properties to select, or null.</param>
        /// <param name="query">The query options, or null.</param>
        /// <param name="onCount">Receives the first page's <c>@odata.count</c> when <see cref="ServicePrincipalQuery.Count"/> is set, before its items.</param>
        /// <param name="cancellationToken">Cancels paging and the read-ahead.</param>
        /// <exception cref="M365Exception"><see cref="HttpErrorIds.BadRequest"/>: a sort or expand term that is not a property name (nothing sent).</exception>
        public async IAsyncEnumerable<ServicePrincipal> ListAsync(string? filter, IEnumerable<string>? properties, ServicePrincipalQuery? query, Action<long>? onCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            bool hasFilter = !string.IsNullOrWhiteSpace(filter);
            string url = _collection + "?$top=" + (query?.Top is int top ? Math.Min(Math.Max(top, 1), ListPageSize) : ListPageSize) + SelectQuery(properties).Replace('?', '&');
            if (hasFilter)
            {
                url += "&$filter=" + Uri.EscapeDataString(filter!.Trim());
            }

            url += query?.Options(hasFilter) ?? string.Empty;
            long position = 0;
            int written = 0;
            ResourceRequestSender sender = QuerySender(query, hasFilter, onCount);
            Func<ServicePrincipal> create = NewObject ?? ServicePrincipal.Empty;
            // With -Top no page is read ahead: the page after the one where Top is reached would be a request sent for nothing.
            IAsyncEnumerable<ODataItemPage<ServicePrincipal>> pages = sender.GetItemPagesAsync(
                new Uri(url),
                (ref Utf8JsonReader reader) => ServicePrincipal.Read(ref reader, create()),
                readAhead: query?.Top is null,
                cancellationToken);
            await foreach (ODataItemPage<ServicePrincipal> page in pages.ConfigureAwait(false))
            {
                foreach (ODataItem<ServicePrincipal> item in page.Items!)
                {
                    position++;
                    if (item.NotAnObject is JsonTokenType kind)
                    {
                        M365ServiceException invalid = ServicePrincipalAnswer.ItemInvalid(
                            $"Item {position.ToString(CultureInfo.InvariantCulture)} of the service principal listing is {ServicePrincipalAnswer.Describe(kind)}, not a service principal object; it was skipped.",
                            RequestUrlRedactor.Redact(new Uri(url)));
                        Action<M365ServiceException> report = InvalidItem ?? throw invalid;
                        report(invalid);
                        continue;
                    }

                    yield return item.Value;

                    // Stopped here, not at the next item: that one may be on a page not read yet.
                    if (query?.Top is int limit && ++written >= limit)
                    {
                        yield break;
                    }
                }
            }
        }

        private ResourceRequestSender QuerySender(ServicePrincipalQuery? query, bool hasFilter, Action<long>? onCount)
        {
            if (query is null || !query.NeedsEventualConsistency(hasFilter))
            {
                return _sender;
            }

            ResourceRequestSender sender = _sender.WithHeaders(new Dictionary<string, string> { ["ConsistencyLevel"] = "eventual" });
            if (!query.Count || onCount is null)
            {
                return sender;
            }

            bool counted = false;
            return sender.WithCountObserver(total =>
            {
                if (!counted)
                {
                    counted = true;
                    onCount(total);
                }
            });
        }

        /// <summary>An OData string literal: quoted, with single quotes doubled.</summary>
        /// <param name="value">The value.</param>
        public static string ODataString(string value) => "'" + (value ?? throw new ArgumentNullException(nameof(value))).Replace("'", "''") + "'";

        private static string RelativeUrl(ServicePrincipalLookup lookup, string select) =>
            lookup.IsAppId
                ? "?$filter=" + Uri.EscapeDataString("appId eq '" + lookup.Value.ToString("D") + "'") + select.Replace('?', '&')
                : "/" + lookup.Value.ToString("D") + select;

        /// <summary>The $select; a lookup always selects the key it is checked by (id, and appId for a lookup by app id).</summary>
        private static string SelectQuery(IEnumerable<string>? properties, ServicePrincipalLookup? lookup = null)
        {
            if (properties is null)
            {
                return string.Empty;
            }

            var names = properties.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (lookup != null && names.Count > 0)
            {
                foreach (string key in lookup.IsAppId ? new[] { "id", "appId" } : new[] { "id" })
                {
                    if (!names.Contains(key, StringComparer.OrdinalIgnoreCase))
                    {
                        names.Add(key);
                    }
                }
            }

            foreach (string name in names)
            {
                if (!name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '@'))
                {
                    throw new M365Exception(
                        HttpErrorIds.BadRequest,
                        $"'{name}' is not a property name.",
                        "Give property names such as id, appId, displayName.",
                        name);
                }
            }

            return names.Count == 0 ? string.Empty : "?$select=" + string.Join(",", names);
        }

        private static M365ServiceException ErrorFor(ServicePrincipalLookup lookup, M365HttpException error) =>
            error.StatusCode == 404 ? NotFound(lookup, error) : M365ServiceException.ForInput(error, lookup.Value);

        internal static M365ServiceException NotFound(ServicePrincipalLookup lookup, M365HttpException? cause) =>
            new M365ServiceException(
                ServiceErrorIds.ServicePrincipalNotFound,
                Sentences.Join($"No service principal has the {(lookup.IsAppId ? "app id" : "object id")} {lookup.Value:D}", cause?.ServiceMessage is string message ? "Graph said: " + message : null),
                lookup.IsAppId
                    ? "Check the app id. An app registered in another tenant has a service principal here only once it is consented to."
                    : "Check the object id; to look up by application (client) id, use the app id instead.",
                lookup.Value,
                cause);
    }
}
