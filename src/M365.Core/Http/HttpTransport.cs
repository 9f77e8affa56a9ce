using System;
using System.Net.Http;
using Microsoft.Identity.Client;

namespace M365.Core.Http
{
    /// <summary>
    /// The one HttpClient a session uses for sign-in (through MSAL) and for service calls. Production sends directly;
    /// a sandbox transport routes every host to the local sandbox and trusts only its pinned certificate.
    /// Redirects are never followed automatically. Create one per session and dispose it at the end.
    /// </summary>
    public sealed class HttpTransport : IDisposable
    {
        private readonly MsalHttpClientFactory _msalFactory;

        private HttpTransport(HttpMessageHandler handler, SandboxDescriptor? sandbox, bool production = false)
        {
            Sandbox = sandbox;
            Client = new HttpClient(new ExchangeTraceHandler(handler), disposeHandler: true);
            _msalFactory = new MsalHttpClientFactory(Client, applyServerCertificateCallbacks: production);
        }

        /// <summary>The shared client. Its pipeline adds the User-Agent and client-request-id headers.</summary>
        public HttpClient Client { get; }

        /// <summary>The sandbox this transport routes to, or null in production.</summary>
        public SandboxDescriptor? Sandbox { get; }

        /// <summary>True when requests go to a local sandbox.</summary>
        public bool IsSandbox => Sandbox != null;

        internal IMsalHttpClientFactory MsalFactory => _msalFactory;

        /// <summary>A transport to the real Microsoft cloud.</summary>
        public static HttpTransport CreateDefault() =>
            new HttpTransport(new CorrelationHeadersHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }), null, production: true);

        /// <summary>A transport that sends every request to <paramref name="sandbox"/>, trusting only its pinned certificate.</summary>
        /// <param name="sandbox">The sandbox descriptor (see <see cref="SandboxDescriptor.Load"/>).</param>
        public static HttpTransport CreateForSandbox(SandboxDescriptor sandbox) =>
            new HttpTransport(new CorrelationHeadersHandler(new SandboxRoutingHandler(sandbox)), sandbox);

        /// <summary>A transport over a caller-supplied handler (tests). The header handler is added in front of it.</summary>
        internal static HttpTransport CreateWithHandler(HttpMessageHandler innermost, SandboxDescriptor? sandbox = null) =>
            new HttpTransport(new CorrelationHeadersHandler(innermost), sandbox);

        /// <inheritdoc />
        public void Dispose()
        {
            Client.Dispose();
            _msalFactory.Dispose();
        }
    }
}
