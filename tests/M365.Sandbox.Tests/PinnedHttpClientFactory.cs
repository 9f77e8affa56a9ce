using M365.Sandbox.Hosting;
using Microsoft.Identity.Client;

namespace M365.Sandbox.Tests;

/// <summary>Gives MSAL the sandbox's pinned client, as the module does.</summary>
internal sealed class PinnedHttpClientFactory(SandboxHost host) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = host.CreatePinnedHttpClient();

    public HttpClient GetHttpClient() => _client;
}
