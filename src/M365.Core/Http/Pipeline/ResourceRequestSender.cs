using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Resources;
using Polly;

namespace M365.Core.Http
{
    /// <summary>
    /// Sends service requests with a connection's tokens through one resilient pipeline: the request URL picks the resource,
    /// the bearer token goes only to a URL that resource covers, throttling and transient failures are retried per
    /// <see cref="HttpRetryOptions"/>, a 401 causes one forced token refresh and one resend (a 401 with a Continuous Access
    /// Evaluation claims challenge: one token request with those claims and one resend), a redirect is followed once and
    /// only within the resource, and failures become <see cref="M365HttpException"/>s.
    /// Get the connection's shared sender from <see cref="Connection.Requests"/>; <see cref="WithVerbose"/> gives a view that
    /// reports each attempt to one caller. Thread-safe.
    /// </summary>
    public sealed class ResourceRequestSender
    {
        private readonly HttpClient _client;
        private readonly Func<Uri, M365Resource> _resolve;
        private readonly Func<M365Resource, bool, CancellationToken, Task<AccessToken>> _getToken;
        private readonly UnauthorizedRecovery _unauthorized;
        private readonly HttpRetryOptions _options;
        private readonly TimeProvider _time;
        private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines;
        private readonly AttemptSender _attempts;
        private ThrottleGate? _gate;
        private IReadOnlyDictionary<string, string>? _headers;

        internal ResourceRequestSender(
            HttpClient client,
            Func<Uri, M365Resource> resolve,
            Func<M365Resource, bool, CancellationToken, Task<AccessToken>> getToken,
            Func<M365Resource, string, AccessToken, CancellationToken, Task<AccessToken>> getClaimsToken,
            HttpRetryOptions? options,
            TimeProvider time)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
            _getToken = getToken ?? throw new ArgumentNullException(nameof(getToken));
            _unauthorized = new UnauthorizedRecovery(getToken, getClaimsToken ?? throw new ArgumentNullException(nameof(getClaimsToken)));
            _time = time ?? throw new ArgumentNullException(nameof(time));
            _options = (options ?? new HttpRetryOptions()).Clone();
            _options.Validate();
            _pipelines = new ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>>(StringComparer.Ordinal);
            _attempts = new AttemptSender(_client, _options.MaxResponseBytes, _time);
        }

        private ResourceRequestSender(ResourceRequestSender shared, Action<string>? verbose, Action<string>? debug, HttpRetryOptions? options = null)
        {
            _client = shared._client;
            _resolve = shared._resolve;
            _getToken = shared._getToken;
            _unauthorized = shared._unauthorized;
            _options = options ?? shared._options;
            _time = shared._time;
            _pipelines = shared._pipelines;
            _attempts = options is null ? shared._attempts : new AttemptSender(_client, options.MaxResponseBytes, _time);
            Verbose = verbose;
            Debug = debug;
            _gate = shared._gate;
            _headers = shared._headers;
            CountObserver = shared.CountObserver;
        }

        private ResourceRequestSender(ResourceRequestSender shared, M365Resource audience)
            : this(shared, shared.Verbose, shared.Debug)
        {
            Func<Uri, M365Resource> fallback = shared._resolve;
            _resolve = url => audience.Covers(url) ? audience : fallback(url);
        }

        /// <summary>Receives one line per attempt, retry and page (method, redacted URL, status, attempt, delay), never a token. Null for none.</summary>
        public Action<string>? Verbose { get; }

        /// <summary>
        /// Receives one line per HTTP exchange (method, redacted URL, status, the service's request id, the time it took),
        /// never a header value, a token or a body. Null for none.
        /// </summary>
        public Action<string>? Debug { get; }

        /// <summary>A copy of the retry options this sender uses.</summary>
        public HttpRetryOptions Options => _options.Clone();

        /// <summary>
        /// A sender with its own retry options over <paramref name="connection"/>'s tokens and transport (e.g. for a cmdlet's
        /// -MaxRetry). Prefer <see cref="Connection.Requests"/>, which is shared.
        /// </summary>
        /// <param name="connection">The connection.</param>
        /// <param name="options">The retry options; validated and copied.</param>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public static ResourceRequestSender Create(Connection connection, HttpRetryOptions? options = null)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            HttpTransport transport = connection.Transport
                ?? throw new InvalidOperationException("The connection has no HTTP transport; create connections with ConnectionFactory.");
            return new ResourceRequestSender(
                transport.Client,
                url => connection.Resources.FromUrl(url),
                (resource, force, ct) => connection.Tokens.GetTokenAsync(resource, force, ct),
                (resource, claims, rejected, ct) => connection.Tokens.GetTokenWithClaimsAsync(resource, claims, rejected, ct),
                options,
                connection.Time);
        }

        /// <summary>The same sender (same pipelines and tokens) reporting to <paramref name="verbose"/>.</summary>
        /// <param name="verbose">
        /// Receives the attempt log; it runs on the request's thread, so a cmdlet must queue lines for WriteVerbose on the pipeline thread.
        /// </param>
        public ResourceRequestSender WithVerbose(Action<string>? verbose) => new ResourceRequestSender(this, verbose, Debug);

        /// <summary>The same sender (same pipelines, tokens and verbose sink) reporting each HTTP exchange to <paramref name="debug"/>.</summary>
        /// <param name="debug">Receives the exchange log; like the verbose sink, it runs on the request's thread.</param>
        public ResourceRequestSender WithDebug(Action<string>? debug) => new ResourceRequestSender(this, Verbose, debug);

        /// <summary>
        /// The same sender (same pipelines, tokens and verbose log) with other response limits, e.g. for Invoke-M365Request's
        /// -MaximumResponseSize and -MaximumPageCount. The retry options are unchanged.
        /// </summary>
        /// <param name="maxResponseBytes">The largest body read into memory (<see cref="HttpRetryOptions.MaxResponseBytes"/>), or null to keep it.</param>
        /// <param name="maxPages">The most pages followed (<see cref="HttpRetryOptions.MaxPages"/>), or null to keep it.</param>
        /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
        public ResourceRequestSender WithLimits(long? maxResponseBytes = null, int? maxPages = null)
        {
            HttpRetryOptions options = _options.Clone();
            options.MaxResponseBytes = maxResponseBytes ?? options.MaxResponseBytes;
            options.MaxPages = maxPages ?? options.MaxPages;
            options.Validate();
            return new ResourceRequestSender(this, Verbose, Debug, options);
        }

        /// <summary>
        /// The same sender (same pipelines, tokens and sinks) adding <paramref name="headers"/> to every request it sends, each
        /// page of a listing too (e.g. Graph's <c>ConsistencyLevel: eventual</c> for advanced queries). Never Authorization.
        /// </summary>
        /// <param name="headers">The headers; a name the request already has is left as the request has it.</param>
        /// <exception cref="ArgumentException">Authorization is among them.</exception>
        public ResourceRequestSender WithHeaders(IReadOnlyDictionary<string, string> headers)
        {
            if (headers is null)
            {
                throw new ArgumentNullException(nameof(headers));
            }

            foreach (string name in headers.Keys)
            {
                if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException("The Authorization header is the sender's own.", nameof(headers));
                }
            }

            return new ResourceRequestSender(this, Verbose, Debug) { _headers = new Dictionary<string, string>(headers.ToDictionary(h => h.Key, h => h.Value), StringComparer.OrdinalIgnoreCase), CountObserver = CountObserver };
        }

        /// <summary>
        /// The same sender, calling <paramref name="observer"/> with the <c>@odata.count</c> of each page a listing reads that
        /// has one (an integer), before the page's items are handed out.
        /// </summary>
        /// <param name="observer">Receives each page's count.</param>
        public ResourceRequestSender WithCountObserver(Action<long> observer) =>
            new ResourceRequestSender(this, Verbose, Debug) { _headers = _headers, CountObserver = observer ?? throw new ArgumentNullException(nameof(observer)) };

        /// <summary>Receives each page's <c>@odata.count</c> (see <see cref="WithCountObserver"/>), or null.</summary>
        internal Action<long>? CountObserver { get; private set; }

        /// <summary>
        /// The same sender, except that requests to the URLs <paramref name="audience"/> covers use its token (the -Resource
        /// override of a raw request); every other URL keeps its own resource. Tokens still go only to hosts their resource covers.
        /// </summary>
        /// <param name="audience">The resource whose token to send, e.g. from <see cref="ResourceResolver.ForAudience"/>.</param>
        public ResourceRequestSender WithAudience(M365Resource audience) => new ResourceRequestSender(this, audience ?? throw new ArgumentNullException(nameof(audience)));

        /// <summary>
        /// Sends a request and returns the successful (2xx) answer, its body already read into memory, at most
        /// <see cref="HttpRetryOptions.MaxResponseBytes"/> of it. The caller disposes it.
        /// </summary>
        /// <param name="requestFactory">
        /// Creates the request; called once per attempt, because a request message cannot be sent twice. Every call must target the
        /// same resource. A body that is a <see cref="StreamContent"/> is sent once only, never retried.
        /// </param>
        /// <param name="kind">What the request does, which decides when it may be retried.</param>
        /// <param name="cancellationToken">Cancels the request and any retry wait at once.</param>
        /// <exception cref="M365HttpException">
        /// A non-success answer after retries, a refused redirect, a network failure, or a body over the limit (<see cref="HttpErrorIds.ResponseTooLarge"/>).
        /// </exception>
        /// <exception cref="M365Exception">The URL is not absolute https (<c>ResourceUrlNotHttps</c>).</exception>
        /// <exception cref="M365AuthenticationException">No token could be had; never retried here.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> requestFactory, RequestKind kind, CancellationToken cancellationToken = default)
        {
            if (requestFactory is null)
            {
                throw new ArgumentNullException(nameof(requestFactory));
            }

            return SendCoreAsync(WithExtraHeaders(requestFactory), kind, mayRedirect: true, cancellationToken);
        }

        /// <summary>
        /// As <see cref="SendAsync"/>, except that the successful answer's body is left unread, for the caller to stream (e.g. to
        /// a file, with no size limit); the caller disposes the answer. Error answers are read as by <see cref="SendAsync"/>.
        /// </summary>
        /// <param name="requestFactory">As for <see cref="SendAsync"/>.</param>
        /// <param name="kind">What the request does.</param>
        /// <param name="cancellationToken">Cancels the request and any retry wait; reading the body takes its own token.</param>
        /// <exception cref="M365HttpException">As <see cref="SendAsync"/>, without <see cref="HttpErrorIds.ResponseTooLarge"/> for a success.</exception>
        public Task<HttpResponseMessage> SendStreamedAsync(Func<HttpRequestMessage> requestFactory, RequestKind kind, CancellationToken cancellationToken = default)
        {
            if (requestFactory is null)
            {
                throw new ArgumentNullException(nameof(requestFactory));
            }

            return SendCoreAsync(WithExtraHeaders(requestFactory), kind, mayRedirect: true, cancellationToken, streamed: true);
        }

        private Func<HttpRequestMessage> WithExtraHeaders(Func<HttpRequestMessage> requestFactory)
        {
            IReadOnlyDictionary<string, string>? headers = _headers;
            if (headers is null)
            {
                return requestFactory;
            }

            return () =>
            {
                HttpRequestMessage request = requestFactory();
                foreach (KeyValuePair<string, string> header in headers)
                {
                    if (request != null && !request.Headers.Contains(header.Key))
                    {
                        request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }

                return request!;
            };
        }

        /// <summary>GETs <paramref name="url"/> and parses the JSON answer. The caller disposes the document.</summary>
        /// <param name="url">An absolute https URL.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365HttpException">As <see cref="SendAsync"/>, and <see cref="HttpErrorIds.ResponseNotJson"/> for an HTML, malformed or empty body.</exception>
        public async Task<JsonDocument> GetJsonAsync(Uri url, CancellationToken cancellationToken = default)
        {
            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            using HttpResponseMessage response = await SendAsync(
                JsonRequests.Factory(HttpMethod.Get, url, null, _resolve(url).Kind), RequestKind.Read, cancellationToken).ConfigureAwait(false);
            return (await ResponseJsonReader.ReadAsync(response, "GET", RequestUrlRedactor.Redact(url), allowEmpty: false).ConfigureAwait(false))!;
        }

        /// <summary>
        /// GETs <paramref name="url"/> and reads the JSON answer with <paramref name="parse"/> from its bytes, as
        /// <see cref="ResponseJsonReader.ReadWithAsync"/> says (the same refusals as <see cref="GetJsonAsync"/>).
        /// </summary>
        internal async Task<T> GetJsonWithAsync<T>(Uri url, Func<ArraySegment<byte>, T> parse, CancellationToken cancellationToken)
        {
            using HttpResponseMessage response = await SendAsync(
                JsonRequests.Factory(HttpMethod.Get, url, null, _resolve(url).Kind), RequestKind.Read, cancellationToken).ConfigureAwait(false);
            return await ResponseJsonReader.ReadWithAsync(response, "GET", RequestUrlRedactor.Redact(url), parse).ConfigureAwait(false);
        }

        /// <summary>Sends a JSON body (or none) and parses the JSON answer; null when the answer has no body (e.g. 204).</summary>
        /// <param name="method">The method, e.g. POST or PATCH.</param>
        /// <param name="url">An absolute https URL.</param>
        /// <param name="body">
        /// The body: null for none, a <see cref="string"/> sent as is (it must already be JSON), anything else serialized with
        /// System.Text.Json once and resent unchanged on a retry.
        /// </param>
        /// <param name="kind">What the request does; a POST that creates something is <see cref="RequestKind.CreatingWrite"/>.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365HttpException">As <see cref="GetJsonAsync"/>.</exception>
        public async Task<JsonDocument?> SendJsonAsync(HttpMethod method, Uri url, object? body, RequestKind kind, CancellationToken cancellationToken = default)
        {
            if (method is null)
            {
                throw new ArgumentNullException(nameof(method));
            }

            if (url is null)
            {
                throw new ArgumentNullException(nameof(url));
            }

            byte[]? bytes = JsonRequests.Serialize(body);
            using HttpResponseMessage response = await SendAsync(
                JsonRequests.Factory(method, url, bytes, _resolve(url).Kind), kind, cancellationToken).ConfigureAwait(false);
            return await ResponseJsonReader.ReadAsync(response, method.Method, RequestUrlRedactor.Redact(url), allowEmpty: true).ConfigureAwait(false);
        }

        /// <summary>
        /// GETs an OData collection page by page, following <c>@odata.nextLink</c> (or SharePoint's <c>odata.nextLink</c>), and
        /// hands each page's <c>value</c> array to <paramref name="onPage"/>. The element is valid only during the call
        /// (<c>Clone()</c> what you keep). A nextLink to another host or resource is never followed and the token never sent there.
        /// </summary>
        /// <param name="firstPage">The collection URL, e.g. <c>https://graph.microsoft.com/v1.0/servicePrincipals?$top=999</c>.</param>
        /// <param name="onPage">Receives each page's <c>value</c> array.</param>
        /// <param name="cancellationToken">Cancels paging between and during requests.</param>
        /// <returns>The number of pages read.</returns>
        /// <exception cref="M365HttpException">
        /// As <see cref="GetJsonAsync"/>, and <see cref="HttpErrorIds.ODataNextLinkLoop"/>, <see cref="HttpErrorIds.ODataNextLinkForeignHost"/>,
        /// <see cref="HttpErrorIds.ODataPageLimitExceeded"/> or <see cref="HttpErrorIds.ODataPageInvalid"/>.
        /// </exception>
        public Task<int> ForEachPageAsync(Uri firstPage, Func<JsonElement, CancellationToken, Task> onPage, CancellationToken cancellationToken = default)
        {
            if (firstPage is null)
            {
                throw new ArgumentNullException(nameof(firstPage));
            }

            if (onPage is null)
            {
                throw new ArgumentNullException(nameof(onPage));
            }

            return new ODataPager(this, _resolve(firstPage), _options.MaxPages).RunAsync(firstPage, onPage, cancellationToken);
        }

        /// <summary>
        /// Streams an OData collection page by page with the rules of <see cref="ForEachPageAsync"/>: each page's <c>value</c>
        /// array is valid until the consumer asks for the next one, and the next page is requested only then, so stopping early
        /// (a downstream <c>Select-Object -First</c>) sends no further request.
        /// </summary>
        /// <param name="firstPage">The collection URL.</param>
        /// <param name="cancellationToken">Cancels paging between and during requests.</param>
        /// <exception cref="M365HttpException">As <see cref="ForEachPageAsync"/>.</exception>
        public IAsyncEnumerable<JsonElement> GetPagesAsync(Uri firstPage, CancellationToken cancellationToken = default)
        {
            if (firstPage is null)
            {
                throw new ArgumentNullException(nameof(firstPage));
            }

            return new ODataPager(this, _resolve(firstPage), _options.MaxPages).PagesAsync(firstPage, cancellationToken);
        }

        /// <summary>
        /// Streams the items of an OData collection one by one as their page arrives (see <see cref="GetPagesAsync"/>). Each
        /// element is valid until the consumer asks for the next one (<c>Clone()</c> what you keep).
        /// </summary>
        /// <param name="firstPage">The collection URL.</param>
        /// <param name="cancellationToken">Cancels paging.</param>
        public async IAsyncEnumerable<JsonElement> GetItemsAsync(Uri firstPage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (JsonElement page in GetPagesAsync(firstPage, cancellationToken).ConfigureAwait(false))
            {
                foreach (JsonElement item in page.EnumerateArray())
                {
                    yield return item;
                }
            }
        }

        /// <summary>
        /// The same sender whose requests share <paramref name="gate"/>: a Retry-After any of them receives closes it, and each
        /// retry waits until it opens (the batches of one bulk lookup wait together).
        /// </summary>
        internal ResourceRequestSender WithThrottleGate(ThrottleGate gate) => new ResourceRequestSender(this, Verbose, Debug) { _gate = gate };

        /// <summary>
        /// Streams the items of an OData collection as <see cref="GetItemsAsync"/> does (each element valid until the consumer
        /// asks for the next), with one page read ahead (fetched and parsed on the thread pool) once the consumer has asked
        /// past the end of the first page (see <see cref="ReadAheadPages"/>).
        /// </summary>
        /// <param name="firstPage">The collection URL.</param>
        /// <param name="cancellationToken">Cancels paging and the read-ahead.</param>
        internal async IAsyncEnumerable<JsonElement> GetItemsReadingAheadAsync(Uri firstPage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var pager = new ODataPager(this, _resolve(firstPage ?? throw new ArgumentNullException(nameof(firstPage))), _options.MaxPages);
            await foreach (ODataPager.JsonPage page in pager.ReadAheadAsync(firstPage, cancellationToken).ConfigureAwait(false))
            {
                foreach (JsonElement item in page.Items.EnumerateArray())
                {
                    yield return item;
                }
            }
        }

        /// <summary>
        /// The pages of an OData collection, each read once into its items by <paramref name="readItem"/> (no
        /// <see cref="JsonDocument"/>), with the paging checks of <see cref="GetPagesAsync"/>; with <paramref name="readAhead"/>,
        /// one page is read ahead (fetched and read into items on the thread pool) once the consumer has asked past the end of
        /// the first page (see <see cref="ReadAheadPages"/>).
        /// </summary>
        internal IAsyncEnumerable<ODataItemPage<T>> GetItemPagesAsync<T>(Uri firstPage, JsonItemReader<T> readItem, bool readAhead, CancellationToken cancellationToken)
        {
            var pager = new ODataPager(this, _resolve(firstPage ?? throw new ArgumentNullException(nameof(firstPage))), _options.MaxPages);
            return pager.ReadItemPagesAsync(firstPage, readItem, readAhead, cancellationToken);
        }

        /// <summary>The clock that drives this sender's retry delays.</summary>
        internal TimeProvider Time => _time;

        /// <summary>Resolves the resource a URL needs.</summary>
        internal M365Resource ResourceFor(Uri url) => _resolve(url);

        internal void Log(string message) => Verbose?.Invoke(message);

        private async Task<HttpResponseMessage> SendCoreAsync(Func<HttpRequestMessage> requestFactory, RequestKind kind, bool mayRedirect, CancellationToken cancellationToken, bool streamed = false)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HttpRequestMessage first = requestFactory() ?? throw new InvalidOperationException("The request factory returned null.");
            Uri url = first.RequestUri is Uri u && u.IsAbsoluteUri
                ? u
                : throw new ArgumentException("The request needs an absolute https URL.", nameof(requestFactory));
            M365Resource resource;
            try
            {
                // Before a token is taken: a first URL, a redirect target or a nextLink whose path starts with '//'.
                RequestPathGuard.Check(url);
                resource = _resolve(url);
            }
            catch
            {
                first.Dispose();
                throw;
            }

            var state = new RequestAttemptState(kind, first.Method.Method, RequestUrlRedactor.Redact(url), RetryClassifier.HasStreamBody(first.Content), Verbose, _options.MaxRetries) { Debug = Debug, Gate = _gate, StreamsSuccessBody = streamed };
            ResiliencePipeline<HttpResponseMessage> pipeline = _pipelines.GetOrAdd(resource.Key, _ => HttpResiliencePipelineFactory.Create(_options, _time));

            AccessToken token = await _getToken(resource, false, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response = await _attempts.ExecuteAsync(pipeline, first, requestFactory, resource, token, state, cancellationToken).ConfigureAwait(false);
            response = await _unauthorized.RecoverAsync(
                response,
                resource,
                token,
                state,
                renewed => _attempts.ExecuteAsync(pipeline, null, requestFactory, resource, renewed, state, cancellationToken),
                cancellationToken).ConfigureAwait(false);

            if (RedirectPolicy.IsRedirect(response.StatusCode))
            {
                using (response)
                {
                    RedirectPolicy.Redirect redirect = RedirectPolicy.Resolve(response, url, resource, state, mayRedirect);
                    state.Log(state.Method + " " + state.RedactedUrl + ": " + (int)response.StatusCode + " redirect to " + RequestUrlRedactor.Redact(redirect.Target) + ", followed once.");
                    return await SendCoreAsync(redirect.WrapFactory(requestFactory), redirect.SwitchesToGet ? RequestKind.Read : kind, mayRedirect: false, cancellationToken, streamed).ConfigureAwait(false);
                }
            }

            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw await HttpErrorFactory.FromResponseAsync(response, state.Method, state.RedactedUrl, state.Attempts).ConfigureAwait(false);
                }
            }

            return response;
        }
    }
}
