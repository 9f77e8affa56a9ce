using System;
using System.Collections.Generic;
using System.Net.Http;

namespace M365.Core.Services.Requests
{
    /// <summary>A raw request to any Microsoft 365 service (Invoke-M365Request): where, how, and with which token.</summary>
    public sealed class ServiceRequest
    {
        /// <summary>Creates a request.</summary>
        /// <param name="uri">An absolute https URL, or a URL relative to <see cref="Service"/>.</param>
        public ServiceRequest(string uri) => Uri = uri ?? throw new ArgumentNullException(nameof(uri));

        /// <summary>An absolute https URL, or a relative one with <see cref="Service"/>.</summary>
        public string Uri { get; }

        /// <summary>Graph, SharePoint, SharePointAdmin, SharePointMy, Management, AzureManagement, Yammer or AadGraph; the base of a relative <see cref="Uri"/>.</summary>
        public string? Service { get; set; }

        /// <summary>The token audience, when it is not the URL's own resource (a name, a resource URL or an app id URI).</summary>
        public string? Resource { get; set; }

        /// <summary>The method. Default GET.</summary>
        public HttpMethod Method { get; set; } = HttpMethod.Get;

        /// <summary>
        /// The body: null for none, a string sent as UTF-8, a byte array as it is (application/octet-stream unless
        /// <see cref="ContentType"/> says otherwise), anything else serialized to JSON.
        /// </summary>
        public object? Body { get; set; }

        /// <summary>
        /// A file whose bytes are the body, streamed from disk (never read into memory; sent once, never retried, as a stream
        /// body cannot be replayed). Not with <see cref="Body"/>. Default content type application/octet-stream.
        /// </summary>
        public string? InFile { get; set; }

        /// <summary>
        /// Receives the progress of a streamed upload (<see cref="InFile"/>) or download (<see cref="ServiceRequestClient.DownloadAsync"/>)
        /// of <see cref="TransferProgress.ReportedFromBytes"/> or more, on the thread that moves the bytes. Null for none.
        /// </summary>
        public Action<TransferProgress>? Progress { get; set; }

        /// <summary>The body's content type. Default application/json (application/octet-stream for bytes and files).</summary>
        public string? ContentType { get; set; }

        /// <summary>Extra headers (never Authorization: the token is the module's business).</summary>
        public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The largest answer body to read into memory, in bytes, or null for the connection's
        /// (<see cref="Http.HttpRetryOptions.MaxResponseBytes"/>, 64 MiB by default). A longer body fails with <c>ResponseTooLarge</c>.
        /// </summary>
        public long? MaximumResponseSize { get; set; }

        /// <summary>The most pages <see cref="ServiceRequestClient.GetAllAsync"/> reads, or null for the connection's (<see cref="Http.HttpRetryOptions.MaxPages"/>, 1,000 by default).</summary>
        public int? MaximumPageCount { get; set; }

        /// <inheritdoc />
        public override string ToString() => Method.Method + " " + Uri;
    }
}
