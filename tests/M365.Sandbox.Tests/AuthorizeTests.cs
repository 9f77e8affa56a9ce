using System.Net;
using M365.Sandbox.Directory;
using Microsoft.Extensions.Time.Testing;
using static M365.Sandbox.Tests.AuthorizeFlow;

namespace M365.Sandbox.Tests;

/// <summary>The authorize endpoints without interactive approval (approved at once), and the authorization_code grant.</summary>
public sealed class AuthorizeTests
{
    private const string Login = "https://login.microsoftonline.com";
    private const string Redirect = "http://localhost:50123/";

    [Fact]
    public async Task FormPostCarriesCodeExactStateAndClientInfoAndTheCodeRedeemsOnceWithItsVerifier()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var (verifier, challenge) = NewPkce();
        var mfaUser = sandbox.Host.Seed.MfaUser;
        foreach (var origin in new[] { sandbox.Host.Url, Login })
        {
            var response = await sandbox.Http.GetAsync(V2(origin, Redirect, challenge, "st 1+é", ("login_hint", mfaUser.UserPrincipalName)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("form-action http://localhost:50123;", csp);
            Assert.Contains("default-src 'none'", csp);
            var html = await response.Content.ReadAsStringAsync();
            var nonce = csp.Split("'nonce-")[1].Split('\'')[0];
            Assert.Contains($"<script nonce=\"{nonce}\">document.forms[0].submit();</script>", html);

            var (action, fields) = Form(html);
            Assert.Equal(Redirect, action);
            Assert.Equal("st 1+é", fields["state"]);
            Assert.Matches("^[0-9a-f-]{36}$", fields["session_state"]);
            var clientInfo = System.Text.Json.JsonDocument.Parse(Decode(fields["client_info"])).RootElement;
            Assert.Equal(mfaUser.Id.ToString(), clientInfo.GetProperty("uid").GetString());
            Assert.Equal(sandbox.Host.TenantId.ToString(), clientInfo.GetProperty("utid").GetString());

            var tokens = await TokensAsync(await RedeemAsync(sandbox, fields["code"], Redirect, verifier));
            foreach (var field in new[] { "access_token", "refresh_token", "id_token", "client_info" })
            {
                Assert.True(tokens.TryGetProperty(field, out _), field);
            }

            var claims = TemporarySandbox.Claims(tokens.GetProperty("access_token").GetString()!);
            Assert.Equal("https://graph.microsoft.com", claims.GetProperty("aud").GetString());
            Assert.Equal(mfaUser.UserPrincipalName, claims.GetProperty("upn").GetString());
            await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, fields["code"], Redirect, verifier), HttpStatusCode.BadRequest, "invalid_grant", 54005);
        }
    }

    [Fact]
    public async Task TheCodeIsBoundToItsVerifierClientRedirectUriAndResource()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var (verifier, challenge) = NewPkce();
        var code = Form(await sandbox.Http.GetStringAsync(V2(Login, Redirect, challenge, "s"))).Fields["code"];

        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, code, Redirect, NewPkce().Verifier), HttpStatusCode.BadRequest, "invalid_grant", 501481);
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, code, Redirect, null), HttpStatusCode.BadRequest, "invalid_grant", 501481);
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, code, "http://localhost:50124/", verifier), HttpStatusCode.BadRequest, "invalid_grant", 500112);
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, code, Redirect, verifier, SandboxSeed.LimitedAppId), HttpStatusCode.BadRequest, "invalid_grant", 70000);
        await IdentityErrorTests.AssertAadErrorAsync(
            await RedeemAsync(sandbox, code, Redirect, verifier, scope: "https://contoso.sharepoint.com/.default openid"), HttpStatusCode.BadRequest, "invalid_grant", 70000);
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, "1.Anotacode", Redirect, verifier), HttpStatusCode.BadRequest, "invalid_grant", 9002313);

        // None of the refused attempts used the code up; the right one does.
        await TokensAsync(await RedeemAsync(sandbox, code, Redirect, verifier));
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, code, Redirect, verifier), HttpStatusCode.BadRequest, "invalid_grant", 54005);
    }

    [Fact]
    public async Task ACodeExpiresAfterItsLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.TimeProvider = clock);
        var (verifier, challenge) = NewPkce();
        var early = Form(await sandbox.Http.GetStringAsync(V2(Login, Redirect, challenge, "s"))).Fields["code"];
        var late = Form(await sandbox.Http.GetStringAsync(V2(Login, Redirect, challenge, "s"))).Fields["code"];

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await TokensAsync(await RedeemAsync(sandbox, early, Redirect, verifier));
        clock.Advance(TimeSpan.FromSeconds(1));
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, late, Redirect, verifier), HttpStatusCode.BadRequest, "invalid_grant", 70008);
    }

    [Theory]
    [InlineData("kiosk", "http://localhost:50123/")]
    [InlineData("pnp", "http://127.0.0.1:50123/")]
    [InlineData("pnp", "http://localhost:50123/other")]
    [InlineData("pnp", "https://localhost:50123/")]
    [InlineData("pnp", "http://evil.example/")]
    public async Task AnUnregisteredRedirectUriIsThe50011PageAndNoRedirect(string app, string redirectUri)
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var appId = app == "kiosk" ? SandboxSeed.KioskAppId : Pnp;
        var response = await sandbox.Http.GetAsync(V2(Login, redirectUri, NewPkce().Challenge, "s", ("client_id", appId.ToString())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"AADSTS50011: The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{appId}'.", html);
        Assert.Contains("form-action 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<form", html);
    }

    [Fact]
    public async Task LoopbackRedirectUrisMatchOnAnyPortAndTheNativeClientUriExactly()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        foreach (var redirectUri in new[] { "http://localhost:1/", "http://localhost:65535", "http://localhost/", SandboxSeed.NativeClientRedirectUri })
        {
            var response = await sandbox.Http.GetAsync(V2(Login, redirectUri, NewPkce().Challenge, "s", ("response_mode", "query")));
            Assert.StartsWith(redirectUri + (redirectUri.Contains('?') ? "&" : "?") + "code=", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task AnUnknownAppIsThe700016PageAndAnUnknownTenantThe90002Page()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var unknown = Guid.NewGuid().ToString();
        var app = await sandbox.Http.GetAsync(V2(sandbox.Host.Url, Redirect, NewPkce().Challenge, "s", ("client_id", unknown)));
        Assert.Equal(HttpStatusCode.BadRequest, app.StatusCode);
        Assert.Null(app.Headers.Location);
        Assert.Contains($"AADSTS700016: Application with identifier '{unknown}' was not found", await app.Content.ReadAsStringAsync());

        var tenant = await sandbox.Http.GetAsync(Url(Login, "fabrikam.onmicrosoft.com/oauth2/v2.0/authorize", ("client_id", Pnp.ToString())));
        Assert.Equal(HttpStatusCode.BadRequest, tenant.StatusCode);
        Assert.Contains("AADSTS90002", await tenant.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V1QueryModeRedirectsWithTheCodeWhichRedeemsAtV2WithoutAVerifier()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        string V1() => Url(Login, $"{sandbox.Host.TenantId}/oauth2/authorize",
            ("response_type", "code"), ("client_id", Pnp.ToString()), ("redirect_uri", "http://localhost:50123"),
            ("state", "v1 state"), ("resource", "https://contoso.sharepoint.com"), ("prompt", "select_account"));

        var answer = Redirected(await sandbox.Http.GetAsync(V1()));
        Assert.Equal("v1 state", answer["state"]);
        Assert.StartsWith("http://localhost:50123?code=", (await sandbox.Http.GetAsync(V1())).Headers.Location!.OriginalString);
        var tokens = await TokensAsync(await RedeemAsync(sandbox, answer["code"], "http://localhost:50123", null, scope: "https://contoso.sharepoint.com/.default"));
        Assert.Equal("https://contoso.sharepoint.com", TemporarySandbox.Claims(tokens.GetProperty("access_token").GetString()!).GetProperty("aud").GetString());

        var withVerifier = Redirected(await sandbox.Http.GetAsync(V1()))["code"];
        await IdentityErrorTests.AssertAadErrorAsync(await RedeemAsync(sandbox, withVerifier, "http://localhost:50123", NewPkce().Verifier), HttpStatusCode.BadRequest, "invalid_grant", 50148);

        var noScope = Redirected(await sandbox.Http.GetAsync(V1()))["code"];
        var response = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "authorization_code"), ("client_id", Pnp.ToString()), ("code", noScope), ("redirect_uri", "http://localhost:50123"));
        Assert.Equal("https://contoso.sharepoint.com", TemporarySandbox.Claims((await TokensAsync(response)).GetProperty("access_token").GetString()!).GetProperty("aud").GetString());
    }

    [Fact]
    public async Task RequestErrorsGoBackToTheRedirectUriWithTheState()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var (_, challenge) = NewPkce();
        var plain = Redirected(await sandbox.Http.GetAsync(V2(Login, Redirect, challenge, "p", ("response_mode", "query"), ("code_challenge_method", "plain"))));
        Assert.Equal(("invalid_request", "p"), (plain["error"], plain["state"]));
        Assert.StartsWith("AADSTS90023: ", plain["error_description"]);

        var token = Redirected(await sandbox.Http.GetAsync(V2(Login, Redirect, challenge, "t", ("response_mode", "query"), ("response_type", "token"))));
        Assert.Equal("unsupported_response_type", token["error"]);

        var fragment = await sandbox.Http.GetAsync(V2(Login, Redirect, challenge, "f", ("response_mode", "fragment"), ("scope", "https://unknown.example/.default")));
        Assert.StartsWith(Redirect + "#error=invalid_resource", fragment.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task WithoutConsentAutoApprovalAnswersConsentRequired65001()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        sandbox.Host.WithdrawConsent(Pnp, "graph");
        var (_, fields) = Form(await sandbox.Http.GetStringAsync(V2(Login, Redirect, NewPkce().Challenge, "c")));

        Assert.Equal("consent_required", fields["error"]);
        Assert.StartsWith("AADSTS65001: ", fields["error_description"]);
        Assert.Equal("c", fields["state"]);
        Assert.False(fields.ContainsKey("code"));
    }

    [Fact]
    public async Task TheSeedListsRedirectUrisAndTheKioskAppWithoutALoopbackOne()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var seed = await TemporarySandbox.JsonAsync(await sandbox.Http.GetAsync(sandbox.Host.ControlUrl + "/seed"));
        var apps = seed.GetProperty("apps").EnumerateArray().ToDictionary(a => a.GetProperty("appId").GetGuid());

        Assert.Contains("http://localhost", apps[Pnp].GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        var kiosk = apps[SandboxSeed.KioskAppId];
        Assert.True(kiosk.GetProperty("isPublicClient").GetBoolean());
        Assert.Equal(new[] { SandboxSeed.NativeClientRedirectUri }, kiosk.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.True(seed.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("isAdmin").GetBoolean()).GetProperty("userPrincipalName").GetString()!.StartsWith("admin@"));
    }

    private static byte[] Decode(string base64Url) =>
        Convert.FromBase64String(base64Url.Replace('-', '+').Replace('_', '/').PadRight((base64Url.Length + 3) / 4 * 4, '='));
}
