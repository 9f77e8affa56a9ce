using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.Identity.Client;

namespace M365.Core.Http
{
    /// <summary>
    /// Gives MSAL the connection's shared HttpClient, so sign-in and token traffic use the same transport (and, with a
    /// sandbox, the same routing and pin). MSAL asks for a client with a server-certificate callback for the Service
    /// Fabric managed identity (its endpoint has a self-signed certificate, checked against IDENTITY_SERVER_THUMBPRINT);
    /// without <see cref="IMsalSFHttpClientFactory"/> it would build its own HttpClient and leave the transport. A sandbox
    /// or injected transport answers with its own client (the sandbox pin is stricter than the thumbprint); production
    /// with one client of its own that applies MSAL's callback, behind the same correlation headers.
    /// </summary>
    internal sealed class MsalHttpClientFactory : IMsalSFHttpClientFactory, IDisposable
    {
        private readonly HttpClient _client;
        private readonly Lazy<HttpClient>? _serverCertificateClient;
        private Func<HttpRequestMessage, X509Certificate2, X509Chain, SslPolicyErrors, bool>? _serverCertificateCheck;

        /// <param name="client">The transport's client.</param>
        /// <param name="applyServerCertificateCallbacks">True for the production transport: a Service Fabric request gets a client that applies MSAL's callback.</param>
        public MsalHttpClientFactory(HttpClient client, bool applyServerCertificateCallbacks = false)
        {
            _client = client;
            if (applyServerCertificateCallbacks)
            {
                _serverCertificateClient = new Lazy<HttpClient>(CreateServerCertificateClient, LazyThreadSafetyMode.ExecutionAndPublication);
            }
        }

        public HttpClient GetHttpClient() => _client;

        public HttpClient GetHttpClient(Func<HttpRequestMessage, X509Certificate2, X509Chain, SslPolicyErrors, bool> validateServerCert)
        {
            if (_serverCertificateClient is null)
            {
                return _client;
            }

            // MSAL passes a new delegate per request, each checking the same IDENTITY_SERVER_THUMBPRINT: one client serves them all.
            Volatile.Write(ref _serverCertificateCheck, validateServerCert);
            return _serverCertificateClient.Value;
        }

        public void Dispose()
        {
            if (_serverCertificateClient is { IsValueCreated: true })
            {
                _serverCertificateClient.Value.Dispose();
            }
        }

        private HttpClient CreateServerCertificateClient() => new HttpClient(new CorrelationHeadersHandler(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                Volatile.Read(ref _serverCertificateCheck) is { } check ? check(request, certificate, chain, errors) : errors == SslPolicyErrors.None,
        }), disposeHandler: true);
    }
}
