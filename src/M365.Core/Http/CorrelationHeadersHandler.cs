using System;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>
    /// Stamps every request with the M365 User-Agent (Microsoft's throttling guidance asks for <c>NONISV|Company|App/version</c>)
    /// and a <c>client-request-id</c> for correlation, keeping one the caller (e.g. MSAL) already set.
    /// </summary>
    public sealed class CorrelationHeadersHandler : DelegatingHandler
    {
        /// <summary>The header that correlates a request with Microsoft's server logs.</summary>
        public const string ClientRequestIdHeader = "client-request-id";

        /// <summary>Creates the handler.</summary>
        /// <param name="innerHandler">The next handler.</param>
        public CorrelationHeadersHandler(HttpMessageHandler innerHandler)
            : base(innerHandler)
        {
        }

        /// <summary>The User-Agent value, <c>NONISV|M365|M365/{version}</c>.</summary>
        public static string UserAgent { get; } = "NONISV|M365|M365/" + ProductVersion();

        /// <inheritdoc />
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Every transport (production, sandbox, tests) starts here, so no path that could name another host leaves it.
            if (request.RequestUri is Uri url && url.IsAbsoluteUri)
            {
                RequestPathGuard.Check(url);
            }

            request.Headers.Remove("User-Agent");
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            if (!request.Headers.Contains(ClientRequestIdHeader))
            {
                request.Headers.TryAddWithoutValidation(ClientRequestIdHeader, Guid.NewGuid().ToString());
            }

            return base.SendAsync(request, cancellationToken);
        }

        private static string ProductVersion()
        {
            Assembly assembly = typeof(CorrelationHeadersHandler).Assembly;
            string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                int plus = informational!.IndexOf('+');
                return plus >= 0 ? informational.Substring(0, plus) : informational;
            }

            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }
    }
}
