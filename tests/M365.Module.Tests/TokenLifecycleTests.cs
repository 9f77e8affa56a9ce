using System.Management.Automation;
using System.Net.Http.Headers;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>The token store as a script meets it over time: refresh ahead, shared refreshes, dead refresh tokens.</summary>
[Collection(SandboxCollection.Name)]
public sealed class TokenLifecycleTests
{
    private readonly SandboxFixture _fixture;

    public TokenLifecycleTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Theory]
    [InlineData("Connect-M365 -Sandbox -RefreshAhead 00:00:01.500")]
    [InlineData("Connect-M365 -Sandbox -RefreshAhead 00:00:01.500 -AppId $appId -Tenant $tenant -ClientSecret $secret")]
    public async Task ALoopOverThreeTokenLifetimesNeverSeesAnExpiredToken(string connect)
    {
        var lifetime = TimeSpan.FromSeconds(3);
        _fixture.Sandbox.SetTokenLifetimes(accessToken: lifetime);
        using var session = new PowerShellSession();
        session.RunOk(connect, new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
        });

        var until = DateTimeOffset.UtcNow + 3 * lifetime;
        var distinct = new HashSet<string>();
        var calls = 0;
        while (DateTimeOffset.UtcNow < until)
        {
            var token = session.RunOk("Get-M365AccessToken -Resource Graph").Output.Single();
            var now = DateTimeOffset.UtcNow;
            Assert.True((DateTimeOffset)token.Prop("ExpiresOn")! > now, $"call {calls} got a token that expired at {token.Prop("ExpiresOn")}");

            // The resource agrees: the token is accepted, never answered with 401.
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://graph.microsoft.com/v1.0/servicePrincipals?$top=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Str("Token"));
            using var response = await _fixture.Http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

            distinct.Add(token.Str("Token")!);
            calls++;
            await Task.Delay(150);
        }

        Assert.True(calls >= 20, $"only {calls} calls were made");
        Assert.True(distinct.Count >= 3, $"the token was renewed only {distinct.Count - 1} times over three lifetimes");
    }

    [Fact]
    public async Task ThirtyTwoRunspacesOnAnExpiredTokenMakeOneTokenRequestPerResource()
    {
        _fixture.Sandbox.SetTokenLifetimes(accessToken: TimeSpan.FromSeconds(2));
        using var owner = new PowerShellSession();
        var connection = owner.RunOk("Connect-M365 -Sandbox -RefreshAhead 00:00:00 -PassThru").Output.Single();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the Graph token from the sign-in is now expired
        _fixture.Sandbox.SetTokenLifetimes(accessToken: TimeSpan.FromHours(1));

        var sessions = Enumerable.Range(0, 32).Select(_ => new PowerShellSession()).ToList();
        try
        {
            _fixture.Sandbox.ResetRequestLog();
            using var start = new Barrier(sessions.Count);
            var runs = sessions.Select(s => Task.Run(() =>
            {
                start.SignalAndWait();
                return s.RunOk("Get-M365AccessToken -Connection $c -Resource Graph, SharePoint", new Dictionary<string, object?> { ["c"] = connection });
            })).ToList();
            var results = await Task.WhenAll(runs);

            Assert.All(results, r => Assert.Equal(2, r.Output.Count));
            Assert.Single(results.Select(r => r.Output[0].Str("Token")).Distinct());
            Assert.Single(results.Select(r => r.Output[1].Str("Token")).Distinct());
            var tokenRequests = _fixture.Sandbox.GetRequestLog().Where(e => e.IsTokenRequest).ToList();
            Assert.Equal(2, tokenRequests.Count);
            Assert.All(tokenRequests, e => Assert.Equal("refresh_token", e.GrantType));
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void ForEachObjectParallelSharesTheConnectionThroughUsing()
    {
        using var session = new PowerShellSession();
        session.RunOk("$c = Connect-M365 -Sandbox -PassThru; $null = Get-M365AccessToken -Resource SharePoint");
        _fixture.Sandbox.ResetRequestLog();

        var result = session.RunOk(
            "1..8 | ForEach-Object -ThrottleLimit 8 -Parallel { Import-Module $using:manifest; (Get-M365AccessToken -Connection $using:c -Resource SharePoint, SharePointAdmin).Audience }",
            new Dictionary<string, object?> { ["manifest"] = RepoPaths.ModuleManifest });

        Assert.Equal(16, result.Output.Count);
        Assert.Equal(8, result.Output.Count(o => o.ToString() == "https://contoso-admin.sharepoint.com"));
        // The SharePoint token was cached; the admin one was fetched once for all eight runspaces.
        Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.IsTokenRequest);
    }

    [Fact]
    public void ARevokedRefreshTokenAsksTheUserToSignInAgain()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        _fixture.Sandbox.RevokeRefreshTokens(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName);
        _fixture.Sandbox.ResetRequestLog();

        var result = session.Run("Get-M365AccessToken -Resource SharePoint");
        var error = result.SingleError("ReauthenticationRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("Connect-M365", error.Text(), StringComparison.Ordinal);
        Assert.Contains("50173", error.Text(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
        // No surprise prompt: nothing asked for a new device code.
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.EndsWith("/devicecode", StringComparison.Ordinal));
        Assert.DoesNotContain("devicelogin", result.HostText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnExpiredRefreshTokenAsksTheUserToSignInAgain()
    {
        _fixture.Sandbox.SetTokenLifetimes(refreshToken: TimeSpan.FromSeconds(1));
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var error = session.Run("Get-M365AccessToken -Resource https://contoso.sharepoint.com").SingleError("ReauthenticationRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("700082", error.Text(), StringComparison.Ordinal);
        Assert.Contains("Connect-M365", error.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppIdChangedAfterSignInWarnsOnceAndTheConnectionKeepsItsApp()
    {
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_AADAPPID", SandboxSeed.PnpManagementShellAppId.ToString());
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");

        var other = Guid.NewGuid().ToString();
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_AADAPPID", other);
        var first = session.RunOk("Get-M365AccessToken -Resource SharePoint");
        var warning = Assert.Single(first.Warnings);
        Assert.Contains(other, warning, StringComparison.Ordinal);
        Assert.Contains(SandboxSeed.PnpManagementShellAppId.ToString(), warning, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Connect-M365", warning, StringComparison.Ordinal);
        Assert.Single(first.Output);

        var second = session.RunOk("Get-M365AccessToken -Resource Graph");
        Assert.Empty(second.Warnings);
        Assert.Single(second.Output);
    }

    [Fact]
    public void TheAadAppIdVariableWinsOverTheEntraOne()
    {
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_AADAPPID", SandboxSeed.PnpManagementShellAppId.ToString());
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_ENTRAAPPID", SandboxSeed.LimitedAppId.ToString());
        using var session = new PowerShellSession();
        Assert.Equal(SandboxSeed.PnpManagementShellAppId.ToString(), session.RunOk("(Connect-M365 -Sandbox -PassThru).AppId").Output.Single().ToString(), ignoreCase: true);

        Environment.SetEnvironmentVariable("CLIMICROSOFT365_AADAPPID", null);
        Assert.Equal(SandboxSeed.LimitedAppId.ToString(), session.RunOk("(Connect-M365 -Sandbox -PassThru).AppId").Output.Single().ToString(), ignoreCase: true);
    }
}
