using System.Security.Cryptography.X509Certificates;
using M365.Sandbox.Directory;
using Microsoft.Identity.Client;

namespace M365.Sandbox.Tests;

/// <summary>Unmodified MSAL.NET against the sandbox through the pinned client.</summary>
public sealed class MsalEndToEndTests
{
    [Fact]
    public async Task DeviceCodeForGraphThenSilentSharePointThroughRefreshToken()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var seed = sandbox.Host.Seed;
        var app = PublicClientApplicationBuilder.Create(SandboxSeed.PnpManagementShellAppId.ToString())
            .WithAuthority($"https://login.microsoftonline.com/{seed.TenantDomain}")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();
        string? message = null;

        var graph = await app.AcquireTokenWithDeviceCode(new[] { "https://graph.microsoft.com/.default" }, code =>
        {
            message = code.Message;
            return Task.CompletedTask;
        }).ExecuteAsync();

        Assert.Contains("https://microsoft.com/devicelogin", message);
        Assert.Equal(seed.Admin.UserPrincipalName, graph.Account.Username);
        var graphClaims = TemporarySandbox.Claims(graph.AccessToken);
        Assert.Equal("https://graph.microsoft.com", graphClaims.GetProperty("aud").GetString());
        Assert.Equal("user", graphClaims.GetProperty("idtyp").GetString());
        Assert.Contains("Group.ReadWrite.All", graphClaims.GetProperty("scp").GetString());
        Assert.Equal($"https://sts.windows.net/{sandbox.Host.TenantId}/", graphClaims.GetProperty("iss").GetString());
        Assert.Equal(seed.Admin.Id.ToString(), graphClaims.GetProperty("oid").GetString());

        sandbox.Host.ResetRequestLog();
        var sharePoint = await app.AcquireTokenSilent(new[] { "https://contoso.sharepoint.com/.default" }, graph.Account).ExecuteAsync();
        var spClaims = TemporarySandbox.Claims(sharePoint.AccessToken);
        Assert.Equal("https://contoso.sharepoint.com", spClaims.GetProperty("aud").GetString());
        Assert.Contains("AllSites.FullControl", spClaims.GetProperty("scp").GetString());
        var refresh = Assert.Single(sandbox.Host.RequestLog.TokenRequests());
        Assert.Equal("refresh_token", refresh.GrantType);
        Assert.Equal("https://contoso.sharepoint.com", refresh.Audience);

        // Both resources' tokens stay cached: asking again sends nothing.
        sandbox.Host.ResetRequestLog();
        var graphAgain = await app.AcquireTokenSilent(new[] { "https://graph.microsoft.com/.default" }, graph.Account).ExecuteAsync();
        var sharePointAgain = await app.AcquireTokenSilent(new[] { "https://contoso.sharepoint.com/.default" }, graph.Account).ExecuteAsync();
        Assert.Equal(TokenSource.Cache, graphAgain.AuthenticationResultMetadata.TokenSource);
        Assert.Equal(TokenSource.Cache, sharePointAgain.AuthenticationResultMetadata.TokenSource);
        Assert.Empty(sandbox.Host.RequestLog.TokenRequests());
    }

    [Fact]
    public async Task InteractiveAuthorizationCodeWithPkceAndFormPostThenSilentSharePoint()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var seed = sandbox.Host.Seed;
        var app = PublicClientApplicationBuilder.Create(SandboxSeed.PnpManagementShellAppId.ToString())
            .WithAuthority($"https://login.microsoftonline.com/{seed.TenantDomain}")
            .WithRedirectUri("http://localhost")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();
        Uri? opened = null;
        Task? browsing = null;
        using var browser = new HttpClient();

        // The "browser": fetches MSAL's authorize URL from the sandbox and posts the auto-submitting form to MSAL's listener.
        // MSAL starts listening only after OpenBrowserAsync returns, so the browser runs on its own, as a real one does.
        var result = await app.AcquireTokenInteractive(new[] { "https://graph.microsoft.com/.default" })
            .WithLoginHint(seed.MfaUser.UserPrincipalName)
            .WithSystemWebViewOptions(new SystemWebViewOptions
            {
                OpenBrowserAsync = uri =>
                {
                    opened = uri;
                    browsing = PostFormAsync(sandbox, browser, uri);
                    return Task.CompletedTask;
                },
            })
            .ExecuteAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        await browsing!;

        var query = System.Web.HttpUtility.ParseQueryString(opened!.Query);
        Assert.Equal("form_post", query["response_mode"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.StartsWith("http://localhost:", query["redirect_uri"]);
        Assert.Equal(seed.MfaUser.UserPrincipalName, result.Account.Username);
        Assert.Equal("https://graph.microsoft.com", TemporarySandbox.Claims(result.AccessToken).GetProperty("aud").GetString());
        Assert.Equal("authorization_code", sandbox.Host.RequestLog.TokenRequests().First().GrantType);

        var sharePoint = await app.AcquireTokenSilent(new[] { "https://contoso.sharepoint.com/.default" }, result.Account).ExecuteAsync();
        Assert.Equal("https://contoso.sharepoint.com", TemporarySandbox.Claims(sharePoint.AccessToken).GetProperty("aud").GetString());
    }

    private static async Task PostFormAsync(TemporarySandbox sandbox, HttpClient browser, Uri authorize)
    {
        var (action, fields) = AuthorizeFlow.Form(await sandbox.Http.GetStringAsync(authorize));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                (await browser.PostAsync(action, new FormUrlEncodedContent(fields))).EnsureSuccessStatusCode();
                return;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task ClientCredentialsWithSecretAndWithCertificate()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var automation = sandbox.Host.Seed.AutomationApp;
        var authority = $"https://login.microsoftonline.com/{sandbox.Host.TenantId}";

        var withSecret = ConfidentialClientApplicationBuilder.Create(automation.AppId.ToString())
            .WithClientSecret(automation.ClientSecret!)
            .WithAuthority(authority)
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();
        var graph = await withSecret.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
        var claims = TemporarySandbox.Claims(graph.AccessToken);
        Assert.Equal("app", claims.GetProperty("idtyp").GetString());
        Assert.Equal("1", claims.GetProperty("appidacr").GetString());
        Assert.Contains("Application.Read.All", claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(claims.TryGetProperty("scp", out _));

        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(automation.CertificatePath!, null);
        var withCertificate = ConfidentialClientApplicationBuilder.Create(automation.AppId.ToString())
            .WithCertificate(certificate)
            .WithAuthority(authority)
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();
        var sharePoint = await withCertificate.AcquireTokenForClient(new[] { "https://contoso.sharepoint.com/.default" }).ExecuteAsync();
        var spClaims = TemporarySandbox.Claims(sharePoint.AccessToken);
        Assert.Equal("https://contoso.sharepoint.com", spClaims.GetProperty("aud").GetString());
        Assert.Equal("2", spClaims.GetProperty("appidacr").GetString());
        Assert.Equal(new[] { "Sites.FullControl.All" }, spClaims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(2, sandbox.Host.RequestLog.TokenRequests("client_credentials").Count);
    }

    [Fact]
    public async Task MsalSurfacesTheAadstsCodeOfAnUnknownApp()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var app = PublicClientApplicationBuilder.Create(Guid.NewGuid().ToString())
            .WithAuthority("https://login.microsoftonline.com/organizations")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();

        var ex = await Assert.ThrowsAsync<MsalServiceException>(() =>
            app.AcquireTokenWithDeviceCode(new[] { "https://graph.microsoft.com/.default" }, _ => Task.CompletedTask).ExecuteAsync());

        Assert.Contains("AADSTS700016", ex.Message);
    }
}
