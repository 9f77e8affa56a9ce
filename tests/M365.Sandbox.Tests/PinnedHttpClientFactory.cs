using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using M365.Sandbox.Hosting;
using Microsoft.Identity.Client;

namespace M365.Sandbox.Tests;

/// <summary>
/// Gives MSAL the sandbox's pinned client, as the module does; also for the Service Fabric managed-identity source, whose
/// server-certificate callback the pin (stricter) stands in for.
/// </summary>
internal sealed class PinnedHttpClientFactory(SandboxHost host) : IMsalSFHttpClientFactory
{
    private readonly HttpClient _client = host.CreatePinnedHttpClient();

    public HttpClient GetHttpClient() => _client;

    public HttpClient GetHttpClient(Func<HttpRequestMessage, X509Certificate2, X509Chain?, SslPolicyErrors, bool> validateServerCert) => _client;
}
