using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>
    /// Sends every request to the local sandbox while keeping the real host name: <c>https://graph.microsoft.com/v1.0/me</c>
    /// goes to <c>https://127.0.0.1:{port}/v1.0/me</c> with <c>Host: graph.microsoft.com</c> (on .NET this also makes the TLS SNI
    /// the real host). Requests already aimed at the sandbox pass unchanged. Plain http is refused, except IMDS
    /// (<c>http://169.254.169.254</c>), which is routed to the sandbox too so no request ever leaves the machine.
    /// The inner handler must trust only the sandbox certificate: use <see cref="CreateInnerHandler"/>.
    /// </summary>
    public sealed class SandboxRoutingHandler : DelegatingHandler
    {
        internal const string ImdsHost = "169.254.169.254";

        private readonly SandboxDescriptor _sandbox;

        /// <summary>Creates the handler over the pinned inner handler.</summary>
        /// <param name="sandbox">The sandbox to route to.</param>
        public SandboxRoutingHandler(SandboxDescriptor sandbox)
            : this(sandbox, CreateInnerHandler(sandbox))
        {
        }

        /// <summary>Creates the handler over a given inner handler (tests use a fake).</summary>
        /// <param name="sandbox">The sandbox to route to.</param>
        /// <param name="innerHandler">The handler that sends the rewritten request.</param>
        public SandboxRoutingHandler(SandboxDescriptor sandbox, HttpMessageHandler innerHandler)
            : base(innerHandler)
        {
            _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));
        }

        /// <summary>
        /// The inner handler for the sandbox: no automatic redirects (a redirect must go back through the rewriter and the
        /// token rules), and a certificate check that accepts only the pinned sandbox certificate and nothing else.
        /// </summary>
        /// <param name="sandbox">The sandbox whose pin to trust.</param>
        public static HttpClientHandler CreateInnerHandler(SandboxDescriptor sandbox)
        {
            byte[] pin = (sandbox ?? throw new ArgumentNullException(nameof(sandbox))).CertificatePin;
            return new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                // The sandbox listens on this machine's loopback: a proxy from HTTPS_PROXY could never reach it (and
                // the requests carry Microsoft host names, which a proxy would send to Microsoft).
                UseProxy = false,
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => CertificatePin.Matches(certificate, pin),
            };
        }

        /// <inheritdoc />
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Route(request);
            return base.SendAsync(request, cancellationToken);
        }

        internal void Route(HttpRequestMessage request)
        {
            Uri? uri = request.RequestUri;
            if (uri is null || !uri.IsAbsoluteUri)
            {
                throw new ArgumentException("The request needs an absolute URI.", nameof(request));
            }

            bool imds = uri.Scheme == Uri.UriSchemeHttp && uri.Host == ImdsHost;
            if (uri.Scheme != Uri.UriSchemeHttps && !imds)
            {
                throw new M365Exception(
                    TransportErrorIds.InsecureRequestRefused,
                    $"The request to '{uri.GetLeftPart(UriPartial.Path)}' was refused because it does not use https.",
                    "Use an https URL.",
                    uri.GetLeftPart(UriPartial.Path));
            }

            RequestPathGuard.Check(uri);
            if (!imds && uri.Port == _sandbox.Port && string.Equals(uri.Host, _sandbox.Url.Host, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            request.Headers.Host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port;
            // The sandbox's authority followed by the original path and query, never resolved as a relative reference: a
            // path such as "//127.0.0.1:8443/x" would otherwise name another server as the authority.
            request.RequestUri = new Uri(_sandbox.Url.GetLeftPart(UriPartial.Authority) + uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped));
        }
    }
}
