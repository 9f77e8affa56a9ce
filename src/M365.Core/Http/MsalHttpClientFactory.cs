using System.Net.Http;
using Microsoft.Identity.Client;

namespace M365.Core.Http
{
    /// <summary>Gives MSAL the connection's shared HttpClient, so sign-in and token traffic use the same transport (and, with a sandbox, the same routing and pin).</summary>
    internal sealed class MsalHttpClientFactory : IMsalHttpClientFactory
    {
        private readonly HttpClient _client;

        public MsalHttpClientFactory(HttpClient client) => _client = client;

        public HttpClient GetHttpClient() => _client;
    }
}
