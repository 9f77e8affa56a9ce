using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Http
{
    /// <summary>
    /// Follows <c>@odata.nextLink</c> for one collection: refuses links to other hosts or resources (the token never goes there),
    /// stops on a link already followed, and bounds the number of pages (<see cref="HttpRetryOptions.MaxPages"/>), so a service
    /// that answers endless distinct nextLinks cannot keep it paging.
    /// </summary>
    internal sealed class ODataPager
    {
        private readonly ResourceRequestSender _sender;
        private readonly M365Resource _resource;
        private readonly int _maxPages;

        public ODataPager(ResourceRequestSender sender, M365Resource resource, int maxPages)
        {
            _sender = sender;
            _resource = resource;
            _maxPages = maxPages;
        }

        public async Task<int> RunAsync(Uri firstPage, Func<JsonElement, CancellationToken, Task> onPage, CancellationToken cancellationToken)
        {
            int pages = 0;
            await foreach (JsonElement value in PagesAsync(firstPage, cancellationToken).ConfigureAwait(false))
            {
                pages++;
                await onPage(value, cancellationToken).ConfigureAwait(false);
            }

            return pages;
        }

        /// <summary>
        /// Each page's <c>value</c> array, valid until the consumer asks for the next one. The next page is requested only
        /// then, so a consumer that stops early causes no further request.
        /// </summary>
        public async IAsyncEnumerable<JsonElement> PagesAsync(Uri firstPage, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var paging = new Paging(firstPage);
            Uri? next = firstPage;
            while (next != null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Uri current = next;
                CheckLimit(paging, current);
                using (JsonDocument page = await _sender.GetJsonAsync(current, cancellationToken).ConfigureAwait(false))
                {
                    JsonElement value = Accept(paging, page.RootElement, current, out next);
                    yield return value;
                }
            }
        }

        /// <summary>
        /// Each page's JSON (its <c>value</c> array alive until the consumer asks for the next page), with one page read
        /// ahead as <see cref="ReadAheadPages"/> says, and the same checks as <see cref="PagesAsync"/>. Only the parsed JSON is
        /// read ahead, not objects made from it: those are made as the consumer takes them and die young, where a page of
        /// objects made ahead outlives a few collections and is promoted (which cost more than the read-ahead saved).
        /// </summary>
        public IAsyncEnumerable<JsonPage> ReadAheadAsync(Uri firstPage, CancellationToken cancellationToken)
        {
            var paging = new Paging(firstPage);
            return ReadAheadPages.ReadAsync<JsonPage>(
                firstPage,
                async (current, ct) =>
                {
                    ct.ThrowIfCancellationRequested();
                    CheckLimit(paging, current);
                    JsonDocument page = await _sender.GetJsonAsync(current, ct).ConfigureAwait(false);
                    try
                    {
                        JsonElement value = Accept(paging, page.RootElement, current, out Uri? next);
                        return (new JsonPage(page, value), next);
                    }
                    catch
                    {
                        page.Dispose();
                        throw;
                    }
                },
                cancellationToken);
        }

        /// <summary>
        /// Each page read once into its items (<see cref="ODataItemPage{T}"/>), with the same checks as <see cref="PagesAsync"/>;
        /// with <paramref name="readAhead"/>, one page read ahead as <see cref="ReadAheadPages"/> says. The objects of a page
        /// read ahead are made on the thread pool while the consumer works through the page before; nothing of a page's
        /// bytes or JSON outlives its reading.
        /// </summary>
        public IAsyncEnumerable<ODataItemPage<T>> ReadItemPagesAsync<T>(Uri firstPage, JsonItemReader<T> readItem, bool readAhead, CancellationToken cancellationToken)
        {
            var paging = new Paging(firstPage);
            return ReadAheadPages.ReadAsync<ODataItemPage<T>>(
                firstPage,
                async (current, ct) =>
                {
                    ct.ThrowIfCancellationRequested();
                    CheckLimit(paging, current);
                    ODataItemPage<T> page = await _sender.GetJsonWithAsync(current, body => ODataItemPage<T>.Parse(body, readItem), ct).ConfigureAwait(false);
                    if (page.Items is null)
                    {
                        throw NoValueArray(current);
                    }

                    Uri? next = Accept(paging, page.Items.Count, page.Count, page.NextLink, current);
                    return (page, next);
                },
                cancellationToken,
                readAhead);
        }

        private void CheckLimit(Paging paging, Uri current)
        {
            if (paging.Pages == _maxPages)
            {
                // The target is the page not read, so the caller knows where the listing stopped (and could go on from it).
                throw Error(
                    HttpErrorIds.ODataPageLimitExceeded,
                    current,
                    string.Format(CultureInfo.InvariantCulture, "Paging stopped at the limit of {0:N0} pages, after {1:N0} items; the collection has more, and this next page was not read.", _maxPages, paging.Items),
                    "Narrow the query with $filter or ask for bigger pages with $top (999 in Graph); to read more pages, raise the limit with Invoke-M365Request -All -MaximumPageCount.");
            }
        }

        /// <summary>The page's <c>value</c> array and its checked next link.</summary>
        private JsonElement Accept(Paging paging, JsonElement root, Uri current, out Uri? next)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                throw NoValueArray(current);
            }

            long? count = root.TryGetProperty("@odata.count", out JsonElement total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out long n) ? n : (long?)null;
            next = Accept(paging, value.GetArrayLength(), count, NextLinkText(root), current);
            return value;
        }

        /// <summary>Counts an accepted page and checks its next link (null: the last page).</summary>
        private Uri? Accept(Paging paging, int items, long? count, string? nextLinkText, Uri current)
        {
            // On the thread that read the page (a read-ahead page: a pool thread, while the consumer is still on the page before).
            if (count is long total)
            {
                _sender.CountObserver?.Invoke(total);
            }

            paging.Pages++;
            paging.Items += items;
            Uri? next = nextLinkText is null ? null : ResolveNextLink(nextLinkText, current);
            _sender.Log(string.Format(CultureInfo.InvariantCulture, "Page {0}: {1} items{2}.", paging.Pages, items, next is null ? ", last page" : string.Empty));
            if (next != null)
            {
                // Checked before the page is handed out, so a hostile page is never half-processed as if paging could go on.
                if (!_resource.Covers(next))
                {
                    throw Error(
                        HttpErrorIds.ODataNextLinkForeignHost,
                        current,
                        $"The page's @odata.nextLink points to {Origin(next)}, outside {_resource.ResourceId}. It was not followed, and the access token was not sent there.",
                        "Do not trust this answer; if it persists, report the URL and time. A token is only ever sent to the host of its own resource.");
                }

                if (!paging.Followed.Add(next.AbsoluteUri))
                {
                    throw Error(HttpErrorIds.ODataNextLinkLoop, current, $"The page's @odata.nextLink repeats a link already followed (page {paging.Pages.ToString(CultureInfo.InvariantCulture)}), so paging would never end.", "Try again later; if it persists, report the URL and time.");
                }
            }

            return next;
        }

        private static M365HttpException NoValueArray(Uri current) =>
            Error(HttpErrorIds.ODataPageInvalid, current, "The page has no 'value' array, so it is not an OData collection.", "Check that the URL names a collection.");

        /// <summary>The page's next link as written (@odata.nextLink when the page has that field, else odata.nextLink), when a non-empty string.</summary>
        private static string? NextLinkText(JsonElement root) =>
            (root.TryGetProperty("@odata.nextLink", out JsonElement link) || root.TryGetProperty("odata.nextLink", out link))
                && link.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(link.GetString())
                ? link.GetString()
                : null;

        private static Uri ResolveNextLink(string text, Uri current)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
            {
                return absolute;
            }

            // SharePoint may give a link relative to the page; anything else unparsable is treated as foreign, never followed.
            return Uri.TryCreate(current, text, out Uri? relative) ? relative : new Uri("about:invalid-nextlink");
        }

        private static string Origin(Uri url) => url.IsAbsoluteUri && url.Scheme.StartsWith("http", StringComparison.Ordinal) ? url.Scheme + "://" + url.Authority : "an unusable URL";

        /// <summary>A page's parsed JSON and its <c>value</c> array, valid until disposed.</summary>
        internal sealed class JsonPage : IDisposable
        {
            private readonly JsonDocument _document;

            public JsonPage(JsonDocument document, JsonElement items)
            {
                _document = document;
                Items = items;
            }

            public JsonElement Items { get; }

            public void Dispose() => _document.Dispose();
        }

        /// <summary>What one listing has read so far; pages are read one at a time, never concurrently.</summary>
        private sealed class Paging
        {
            public Paging(Uri firstPage) => Followed = new HashSet<string>(StringComparer.Ordinal) { firstPage.AbsoluteUri };

            public HashSet<string> Followed { get; }

            public int Pages { get; set; }

            public long Items { get; set; }
        }

        private static M365HttpException Error(string errorId, Uri current, string problem, string action)
        {
            string redacted = RequestUrlRedactor.Redact(current);
            return new M365HttpException(errorId, "GET " + redacted + ": " + problem, action, "GET", redacted);
        }
    }
}
