using System.Net;
using M365.Sandbox.Directory;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace M365.Sandbox.Tests;

/// <summary>MSAL reads IDENTITY_ENDPOINT from the process environment, so these tests do not run in parallel with others.</summary>
[CollectionDefinition(nameof(ManagedIdentityTests), DisableParallelization = true)]
public sealed class ManagedIdentityCollection;

[Collection(nameof(ManagedIdentityTests))]
public sealed class ManagedIdentityTests
{
    [Fact]
    public async Task AppServiceEndpointWithMsalSystemAndUserAssigned()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", sandbox.Host.ManagedIdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", sandbox.Host.ManagedIdentityHeader);
        try
        {
            var system = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned)
                .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host)).Build();
            // MSAL's managed-identity cache is process-wide: force the request, or another test's token may answer.
            var result = await system.AcquireTokenForManagedIdentity("https://graph.microsoft.com").WithForceRefresh(true).ExecuteAsync();
            var claims = TemporarySandbox.Claims(result.AccessToken);
            Assert.Equal("https://graph.microsoft.com", claims.GetProperty("aud").GetString());
            Assert.Equal("app", claims.GetProperty("idtyp").GetString());
            Assert.Equal(SandboxSeed.SystemAssignedIdentityClientId.ToString(), claims.GetProperty("appid").GetString());

            var user = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(SandboxSeed.UserAssignedIdentityClientId.ToString()))
                .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host)).Build();
            var userResult = await user.AcquireTokenForManagedIdentity("https://graph.microsoft.com").WithForceRefresh(true).ExecuteAsync();
            Assert.Equal(SandboxSeed.UserAssignedIdentityClientId.ToString(), TemporarySandbox.Claims(userResult.AccessToken).GetProperty("appid").GetString());
            Assert.Equal(2, sandbox.Host.RequestLog.TokenRequests("managed_identity_app_service").Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        }
    }

    [Fact]
    public async Task AppServiceEndpointRefusesAWrongHeader()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Host.ManagedIdentityEndpoint + "?resource=https://graph.microsoft.com&api-version=2019-08-01");
        request.Headers.Add("X-IDENTITY-HEADER", "wrong");
        var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ImdsAnswersOnlyWithTheMetadataHeaderAndInMsalsShape()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        const string url = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/";
        var refused = await sandbox.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata", "true");
        var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TemporarySandbox.JsonAsync(response);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("https://management.azure.com/", body.GetProperty("resource").GetString());
        Assert.True(long.Parse(body.GetProperty("expires_on").GetString()!) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(SandboxSeed.SystemAssignedIdentityClientId.ToString(), body.GetProperty("client_id").GetString());
        Assert.Equal("https://management.azure.com/", TemporarySandbox.Claims(body.GetProperty("access_token").GetString()!).GetProperty("aud").GetString());
        var logged = Assert.Single(sandbox.Host.RequestLog.TokenRequests("managed_identity_imds"));
        Assert.Equal("169.254.169.254", logged.Host);
    }

    [Fact]
    public async Task ImdsWithMsal()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned)
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host)).Build();
        var result = await app.AcquireTokenForManagedIdentity("https://contoso.sharepoint.com").ExecuteAsync();
        Assert.Equal("https://contoso.sharepoint.com", TemporarySandbox.Claims(result.AccessToken).GetProperty("aud").GetString());
        Assert.Contains(sandbox.Host.GetRequestLog(), e => e.Host == "169.254.169.254" && e.Status == 200);
    }
}
