using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.Requests
{
    /// <summary>
    /// Sends raw requests to any Microsoft 365 resource with the right token, through the connection's pipeline (retries,
    /// one refresh on a 401, tokens only to their own hosts, safe paging). Thread-safe.
    /// </summary>
    public sealed class ServiceRequestClient
    {
        private readonly Connection _connection;
        private readonly ResourceRequestSender _sender;

        /// <summary>Creates a client.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        public ServiceRequestClient(Connection connection, ResourceRequestSender? sender = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _sender = sender ?? connection.Requests;
        }

        /// <summary>
        /// The absolute URL of a request: <see cref="ServiceRequest.Uri"/> as is when absolute, else appended to the
        /// service's origin. An unknown host needs <see cref="ServiceRequest.Resource"/>.
        /// </summary>
        /// <param name="request">The request.</param>
        /// <param name="cancellationToken">Cancels the SharePoint tenant discovery a SharePoint service name may need.</param>
        /// <exception cref="M365Exception">
        /// <see cref="ServiceErrorIds.RequestUriInvalid"/>, <see cref="ServiceErrorIds.UnknownResource"/>, <see cref="ServiceErrorIds.RequestHeaderInvalid"/>,
        /// or a resource error such as <see cref="ResourceErrorIds.ResourceHostMismatch"/>.
        /// </exception>
        public async Task<Uri> ResolveUriAsync(ServiceRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            RequestHeaderRules.Check(request);
            string text = request.Uri.Trim();
            Uri url;
            if (System.Uri.TryCreate(text, UriKind.Absolute, out Uri? absolute) && (absolute.Scheme == System.Uri.UriSchemeHttps || absolute.Scheme == System.Uri.UriSchemeHttp))
            {
                url = absolute;
            }
            else if (!string.IsNullOrWhiteSpace(request.Service))
            {
                M365Resource service = await _connection.ResolveResourceAsync(request.Service!, _sender, cancellationToken).ConfigureAwait(false);
                if (!System.Uri.TryCreate(service.Origin, text.TrimStart('/'), out Uri? relative) || !service.Covers(relative))
                {
                    // "\\evil.example/x" resolves to another host (backslashes become slashes): a relative URI stays on its service.
                    throw AmbiguousPath(request);
                }

                url = relative;
            }
            else
            {
                throw new M365Exception(
                    ServiceErrorIds.RequestUriInvalid,
                    $"'{request.Uri}' is a relative URI, and no service was given to resolve it against.",
                    "Give an absolute https URL, or add -Service Graph|SharePoint|SharePointAdmin|SharePointMy|Management|AzureManagement|Yammer|AadGraph.",
                    request.Uri);
            }

            if (RequestPathGuard.IsAmbiguous(url))
            {
                throw AmbiguousPath(request);
            }

            M365Resource resource = _connection.Resources.FromUrl(url);
            if (resource.Kind == ResourceKind.Other && string.IsNullOrWhiteSpace(request.Resource))
            {
                throw new M365Exception(
                    ServiceErrorIds.UnknownResource,
                    $"{url.Host} is not a Microsoft 365 service this connection knows, so no token was chosen and nothing was sent.",
                    "Add -Resource with the audience of the token the service expects (for example its app id URI), or use a Microsoft 365 URL.",
                    request.Uri);
            }

            return url;
        }

        /// <summary>Sends the request and returns the answer.</summary>
        /// <param name="request">The request.</param>
        /// <param name="cancellationToken">Cancels it.</param>
        /// <exception cref="M365ServiceException">A failed answer (the pipeline's <see cref="HttpErrorIds"/>), targeting <see cref="ServiceRequest.Uri"/>.</exception>
        /// <exception cref="M365Exception">
        /// As <see cref="ResolveUriAsync"/>; a token error (e.g. <c>YammerRequiresDelegatedAuth</c>) with nothing sent;
        /// <see cref="ServiceErrorIds.RequestFileNotFound"/> for an <see cref="ServiceRequest.InFile"/> that cannot be read.
        /// </exception>
        public async Task<ServiceResponse> SendAsync(ServiceRequest request, CancellationToken cancellationToken = default)
        {
            using HttpResponseMessage response = await SendForMessageAsync(request, cancellationToken).ConfigureAwait(false);
            string content = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            string? mediaType = response.Content?.Headers.ContentType?.MediaType;
            return new ServiceResponse((int)response.StatusCode, mediaType, content, ResponseHeaders.Of(response), () => Parse(content, mediaType));
        }

        /// <summary>
        /// Sends the request and returns the answer itself, its body read into memory (within the size limit), so it stays
        /// readable after the connection is gone. Its <see cref="HttpResponseMessage.RequestMessage"/> no longer carries the
        /// Authorization header. The caller disposes it.
        /// </summary>
        /// <param name="request">The request.</param>
        /// <param name="cancellationToken">Cancels it.</param>
        /// <exception cref="M365ServiceException">As <see cref="SendAsync"/>.</exception>
        /// <exception cref="M365Exception">As <see cref="SendAsync"/>.</exception>
        public async Task<HttpResponseMessage> SendForMessageAsync(ServiceRequest request, CancellationToken cancellationToken = default)
        {
            Uri url = await ResolveUriAsync(request, cancellationToken).ConfigureAwait(false);
            RequestContentFactory body = RequestContentFactory.For(request);
            try
            {
                HttpResponseMessage response = await SenderFor(request, url).SendAsync(() => Build(request, url, body), KindOf(request.Method), cancellationToken).ConfigureAwait(false);
                response.RequestMessage?.Headers.Remove("Authorization");
                return response;
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, request.Uri);
            }
        }

        /// <summary>
        /// Sends the request and streams the answer's body into <paramref name="path"/> as it arrives: no size limit, memory
        /// bounded by one buffer, progress to <see cref="ServiceRequest.Progress"/>, and a target replaced only by a complete body.
        /// </summary>
        /// <param name="request">The request.</param>
        /// <param name="path">The file to write (a full file-system path).</param>
        /// <param name="cancellationToken">Cancels the request and the download (no file is left).</param>
        /// <returns>The answer without its body; <see cref="ServiceResponse.BytesWritten"/> says how much was written.</returns>
        /// <exception cref="M365ServiceException">As <see cref="SendAsync"/>, or the connection failed while the body arrived.</exception>
        /// <exception cref="M365Exception">As <see cref="SendAsync"/>, and <see cref="ServiceErrorIds.RequestOutFileFailed"/>.</exception>
        public async Task<ServiceResponse> DownloadAsync(ServiceRequest request, string path, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A download needs a file path.", nameof(path));
            }

            Uri url = await ResolveUriAsync(request, cancellationToken).ConfigureAwait(false);
            RequestContentFactory body = RequestContentFactory.For(request);
            try
            {
                using HttpResponseMessage response = await SenderFor(request, url).SendStreamedAsync(() => Build(request, url, body), KindOf(request.Method), cancellationToken).ConfigureAwait(false);
                long written = await FileDownload.SaveAsync(response, path, request.Method.Method, RequestUrlRedactor.Redact(url), request.Progress, cancellationToken).ConfigureAwait(false);
                return new ServiceResponse((int)response.StatusCode, response.Content?.Headers.ContentType?.MediaType, string.Empty, ResponseHeaders.Of(response), () => null) { BytesWritten = written };
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, request.Uri);
            }
        }

        /// <summary>
        /// GETs an OData collection and streams its items as plain values (<see cref="JsonValues.ToObject"/>), each as its page
        /// arrives, following nextLinks on the same host only. The second page is requested only when the consumer asks past
        /// the end of the first; from then on the next page is read ahead (fetched and parsed as JSON on the thread pool) while
        /// the consumer works through the current one.
        /// </summary>
        /// <param name="request">The request (GET; headers and body are not used for paging).</param>
        /// <param name="cancellationToken">Cancels paging and the read-ahead.</param>
        /// <exception cref="M365ServiceException">A failed page, or a nextLink to another host (<see cref="HttpErrorIds.ODataNextLinkForeignHost"/>).</exception>
        public async IAsyncEnumerable<object?> GetAllAsync(ServiceRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Uri url = await ResolveUriAsync(request, cancellationToken).ConfigureAwait(false);
            IAsyncEnumerator<JsonElement> items = SenderFor(request, url).GetItemsReadingAheadAsync(url, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    object? item;
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }

                        item = JsonValues.ToObject(items.Current);
                    }
                    catch (M365HttpException ex)
                    {
                        throw M365ServiceException.ForInput(ex, request.Uri);
                    }

                    yield return item;
                }
            }
            finally
            {
                await items.DisposeAsync().ConfigureAwait(false);
            }
        }

        private static M365Exception AmbiguousPath(ServiceRequest request) =>
            new M365Exception(
                ServiceErrorIds.RequestUriInvalid,
                $"'{request.Uri}' is not a usable request path: it starts with '//' or a backslash, which could be read as another host, or it cannot be parsed; nothing was sent.",
                "Start the path with a single '/' (for example https://graph.microsoft.com/v1.0/me, or v1.0/me with -Service Graph).",
                request.Uri);

        private ResourceRequestSender SenderFor(ServiceRequest request, Uri url)
        {
            ResourceRequestSender sender = request.MaximumResponseSize is null && request.MaximumPageCount is null
                ? _sender
                : _sender.WithLimits(request.MaximumResponseSize, request.MaximumPageCount);
            return string.IsNullOrWhiteSpace(request.Resource) ? sender : sender.WithAudience(_connection.Resources.ForAudience(url, request.Resource!));
        }

        private static RequestKind KindOf(HttpMethod method) =>
            method == HttpMethod.Get || method == HttpMethod.Head ? RequestKind.Read
            : method == HttpMethod.Post || string.Equals(method.Method, "MERGE", StringComparison.OrdinalIgnoreCase) ? RequestKind.CreatingWrite
            : RequestKind.IdempotentWrite;

        private static HttpRequestMessage Build(ServiceRequest request, Uri url, RequestContentFactory body)
        {
            var message = new HttpRequestMessage(request.Method, url);
            bool hasAccept = false;
            foreach (KeyValuePair<string, string> header in request.Headers)
            {
                // Content-Type goes on the content; the names and values were checked by RequestHeaderRules before sending.
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                hasAccept |= string.Equals(header.Key, "Accept", StringComparison.OrdinalIgnoreCase);
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (!hasAccept)
            {
                message.Headers.TryAddWithoutValidation("Accept", url.Host.IndexOf(".sharepoint", StringComparison.OrdinalIgnoreCase) >= 0 ? "application/json;odata=nometadata" : "application/json");
            }

            if (body.HasBody)
            {
                string contentType = request.ContentType
                    ?? request.Headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value
                    ?? body.DefaultContentType;
                message.Content = body.Create();
                message.Content!.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            return message;
        }

        private static object? Parse(string content, string? mediaType)
        {
            if (content.Length == 0)
            {
                return null;
            }

            if (mediaType?.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                try
                {
                    using JsonDocument document = JsonDocument.Parse(content);
                    return JsonValues.ToObject(document.RootElement);
                }
                catch (JsonException)
                {
                    // Declared JSON that is not: hand back the text rather than fail a raw request.
                }
            }

            return content;
        }
    }
}
