using System;
using System.Collections.Generic;
using System.Net.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>One request inside a Graph JSON batch (<c>POST /v1.0/$batch</c>). The batch sender gives it its id.</summary>
    public sealed class GraphBatchRequest
    {
        /// <summary>Creates a request.</summary>
        /// <param name="method">The method, e.g. GET.</param>
        /// <param name="relativeUrl">The URL relative to the Graph version, e.g. <c>/servicePrincipals/{id}</c> (query values escaped).</param>
        /// <param name="body">Null for none, a string sent as is (JSON), or an object serialized to JSON.</param>
        /// <param name="headers">Extra headers of this request, or null.</param>
        public GraphBatchRequest(HttpMethod method, string relativeUrl, object? body = null, IReadOnlyDictionary<string, string>? headers = null)
        {
            Method = method ?? throw new ArgumentNullException(nameof(method));
            if (string.IsNullOrWhiteSpace(relativeUrl) || Uri.TryCreate(relativeUrl, UriKind.Absolute, out Uri? absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            {
                throw new ArgumentException("A batch request needs a URL relative to the Graph version, e.g. /users.", nameof(relativeUrl));
            }

            RelativeUrl = relativeUrl.StartsWith("/", StringComparison.Ordinal) ? relativeUrl : "/" + relativeUrl;
            Body = body;
            Headers = headers ?? new Dictionary<string, string>();
        }

        /// <summary>A GET of <paramref name="relativeUrl"/>.</summary>
        /// <param name="relativeUrl">The URL relative to the Graph version.</param>
        public static GraphBatchRequest Get(string relativeUrl) => new GraphBatchRequest(HttpMethod.Get, relativeUrl);

        /// <summary>The method.</summary>
        public HttpMethod Method { get; }

        /// <summary>The URL relative to the Graph version, starting with '/'.</summary>
        public string RelativeUrl { get; }

        /// <summary>The body, or null.</summary>
        public object? Body { get; }

        /// <summary>Extra headers.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <inheritdoc />
        public override string ToString() => Method.Method + " " + RelativeUrl;
    }
}
