using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using Microsoft.Identity.Client;

namespace M365.Sandbox.Tests.Federation;

/// <summary>Unmodified MSAL.NET, confidential client with a client-assertion callback, against the sandbox's token services.</summary>
public sealed class MsalFederatedTests
{
    [Fact]
    public async Task WithClientAssertion_fetches_a_github_token_per_request_and_the_app_reaches_graph_and_sharepoint()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var github = (await FederationTestKit.StateAsync(sandbox))["github"]!;
        var requestUrl = github["ACTIONS_ID_TOKEN_REQUEST_URL"]!.GetValue<string>();
        var requestToken = github["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]!.GetValue<string>();
        var fetched = 0;
        var app = ConfidentialClientApplicationBuilder.Create(SandboxSeed.PipelinesAppId.ToString())
            .WithAuthority($"https://login.microsoftonline.com/{sandbox.Host.TenantId}")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .WithClientAssertion(async (AssertionRequestOptions options) =>
            {
                Interlocked.Increment(ref fetched);
                using var request = new HttpRequestMessage(HttpMethod.Get, requestUrl + "&audience=" + Uri.EscapeDataString("api://AzureADTokenExchange"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requestToken);
                using var response = await sandbox.Http.SendAsync(request, options.CancellationToken);
                response.EnsureSuccessStatusCode();
                return JsonNode.Parse(await response.Content.ReadAsStringAsync(options.CancellationToken))!["value"]!.GetValue<string>();
            })
            .Build();

        var graph = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
        var sharePoint = await app.AcquireTokenForClient(new[] { "https://contoso.sharepoint.com/.default" }).ExecuteAsync();
        var cached = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();

        Assert.Equal(2, fetched);
        Assert.Equal(TokenSource.Cache, cached.AuthenticationResultMetadata.TokenSource);
        Assert.Equal(2, (await FederationTestKit.StateAsync(sandbox))["github"]!["issued"]!.GetValue<int>());
        using var servicePrincipal = await GetAsync(sandbox, $"https://graph.microsoft.com/v1.0/servicePrincipals?$filter=appId eq '{SandboxSeed.PipelinesAppId}'", graph.AccessToken);
        Assert.Equal(HttpStatusCode.OK, servicePrincipal.StatusCode);
        var found = JsonNode.Parse(await servicePrincipal.Content.ReadAsStringAsync())!["value"]!.AsArray();
        Assert.Equal("Contoso Pipelines", Assert.Single(found)!["displayName"]!.GetValue<string>());
        using var web = await GetAsync(sandbox, "https://contoso.sharepoint.com/_api/web", sharePoint.AccessToken);
        Assert.Equal(HttpStatusCode.OK, web.StatusCode);
    }

    [Fact]
    public async Task MsalSurfacesTheAadstsCodeOfAMismatchingSubject()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        (await FederationTestKit.ConfigureAsync(sandbox, "kubernetes", """{"subject":"system:serviceaccount:default:other"}""")).EnsureSuccessStatusCode();
        var file = (await FederationTestKit.StateAsync(sandbox))["kubernetes"]!["AZURE_FEDERATED_TOKEN_FILE"]!.GetValue<string>();
        var app = ConfidentialClientApplicationBuilder.Create(SandboxSeed.PipelinesAppId.ToString())
            .WithAuthority($"https://login.microsoftonline.com/{sandbox.Host.TenantId}")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .WithClientAssertion((AssertionRequestOptions _) => File.ReadAllTextAsync(file))
            .Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() => app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync());

        Assert.Equal("invalid_client", ex.ErrorCode);
        Assert.Contains("AADSTS700213", ex.Message);
        Assert.Contains("system:serviceaccount:default:other", ex.Message);
    }

    private static async Task<HttpResponseMessage> GetAsync(TemporarySandbox sandbox, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json;odata=nometadata");
        return await sandbox.Http.SendAsync(request);
    }
}
