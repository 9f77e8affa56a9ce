using System.Net;
using M365.Sandbox.Directory;
using static M365.Sandbox.Tests.AuthorizeFlow;

namespace M365.Sandbox.Tests;

/// <summary>The sign-in and consent pages under interactive approval, posted as a browser posts them.</summary>
public sealed class SignInPageTests
{
    private const string Redirect = "http://localhost:50123/";

    [Fact]
    public async Task TheSignInPageChecksThePasswordThenAsksAnAdminForConsentOnce()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        sandbox.Host.WithdrawConsent(Pnp, "graph");
        var origin = sandbox.Host.Url;
        var admin = sandbox.Host.Seed.Admin.UserPrincipalName;
        var (verifier, challenge) = NewPkce();

        var page = await sandbox.Http.GetStringAsync(V2(origin, Redirect, challenge, "s1", ("login_hint", admin)));
        foreach (var id in new[] { "account", "password", "signin", "cancel" })
        {
            Assert.Contains($"id=\"{id}\"", page);
        }

        Assert.Contains($"value=\"{admin}\"", page);
        var (action, fields) = Form(page);
        Assert.Equal("/organizations/login", action);

        var wrong = await PostPageAsync(sandbox, origin, action, ("ctx", fields["ctx"]), ("login", admin), ("passwd", "wrong"), ("action", "signin"));
        Assert.Contains("id=\"signin-error\"", await wrong.Content.ReadAsStringAsync());

        var consent = await (await PostPageAsync(sandbox, origin, action, ("ctx", fields["ctx"]), ("login", admin), ("passwd", SandboxSeed.AdminPassword), ("action", "signin"))).Content.ReadAsStringAsync();
        Assert.Contains("id=\"accept\"", consent);
        Assert.Contains("id=\"decline\"", consent);
        Assert.Contains("Directory.ReadWrite.All", consent);
        var (consentAction, consentFields) = Form(consent);
        Assert.Equal("/organizations/Consent/Set", consentAction);

        var answer = Form(await (await PostPageAsync(sandbox, origin, consentAction, ("ctx", consentFields["ctx"]), ("action", "accept"))).Content.ReadAsStringAsync());
        Assert.Equal(Redirect, answer.Action);
        Assert.Equal("s1", answer.Fields["state"]);
        var tokens = await TokensAsync(await RedeemAsync(sandbox, answer.Fields["code"], Redirect, verifier));
        Assert.Equal(admin, TemporarySandbox.Claims(tokens.GetProperty("access_token").GetString()!).GetProperty("upn").GetString());

        // The session is over: posting its form again issues nothing.
        var replay = await PostPageAsync(sandbox, origin, consentAction, ("ctx", consentFields["ctx"]), ("action", "accept"));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("AADSTS50089", await replay.Content.ReadAsStringAsync());

        // Consent is granted now: the next sign-in goes straight to the answer.
        var again = Form(await sandbox.Http.GetStringAsync(V2("https://login.microsoftonline.com", Redirect, challenge, "s2")));
        var direct = await PostPageAsync(sandbox, "https://login.microsoftonline.com", again.Action, ("ctx", again.Fields["ctx"]), ("login", admin), ("passwd", SandboxSeed.AdminPassword), ("action", "signin"));
        Assert.True(Form(await direct.Content.ReadAsStringAsync()).Fields.ContainsKey("code"));
    }

    [Fact]
    public async Task CancelIsAccessDeniedWithSubcodeCancelAndDeclinedConsentIs65004()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        var origin = sandbox.Host.Url;
        var page = Form(await sandbox.Http.GetStringAsync(V2(origin, Redirect, NewPkce().Challenge, "c1", ("response_mode", "query"))));
        var cancelled = Redirected(await PostPageAsync(sandbox, origin, page.Action, ("ctx", page.Fields["ctx"]), ("login", ""), ("passwd", ""), ("action", "cancel")));
        Assert.Equal(("access_denied", "cancel", "c1"), (cancelled["error"], cancelled["error_subcode"], cancelled["state"]));
        Assert.False(cancelled.ContainsKey("code"));

        sandbox.Host.WithdrawConsent(Pnp, "graph");
        var second = Form(await sandbox.Http.GetStringAsync(V2(origin, Redirect, NewPkce().Challenge, "c2")));
        var consent = Form(await (await PostPageAsync(sandbox, origin, second.Action, ("ctx", second.Fields["ctx"]),
            ("login", sandbox.Host.Seed.Admin.UserPrincipalName), ("passwd", SandboxSeed.AdminPassword), ("action", "signin"))).Content.ReadAsStringAsync());
        var declined = Form(await (await PostPageAsync(sandbox, origin, consent.Action, ("ctx", consent.Fields["ctx"]), ("action", "decline"))).Content.ReadAsStringAsync());
        Assert.Equal("access_denied", declined.Fields["error"]);
        Assert.StartsWith("AADSTS65004: User declined to consent to access the app.", declined.Fields["error_description"]);
        Assert.Equal("c2", declined.Fields["state"]);
        Assert.Null(sandbox.Host.Directory.ConsentedScopes(sandbox.Host.Seed.PnpManagementShell, ResourceService.Graph));
    }

    [Fact]
    public async Task AUserWhoMayNotConsentGetsConsentRequired65001()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        sandbox.Host.WithdrawConsent(Pnp, "graph");
        var origin = sandbox.Host.Url;
        var page = Form(await sandbox.Http.GetStringAsync(V2(origin, Redirect, NewPkce().Challenge, "n")));
        var answer = Form(await (await PostPageAsync(sandbox, origin, page.Action, ("ctx", page.Fields["ctx"]),
            ("login", sandbox.Host.Seed.MfaUser.UserPrincipalName), ("passwd", SandboxSeed.MfaUserPassword), ("action", "signin"))).Content.ReadAsStringAsync());

        Assert.Equal("consent_required", answer.Fields["error"]);
        Assert.StartsWith($"AADSTS65001: The user or administrator has not consented to use the application with ID '{Pnp}'", answer.Fields["error_description"]);
    }

    [Fact]
    public async Task HostileStateLoginHintAndRedirectUriAreEncodedEverywhere()
    {
        const string State = "\"><script>alert(1)</script><x a='&amp;";
        const string Hint = "\"><img src=x onerror=alert(2)>";
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        var origin = sandbox.Host.Url;
        var (verifier, challenge) = NewPkce();

        var response = await sandbox.Http.GetAsync(V2(origin, Redirect, challenge, State, ("login_hint", Hint)));
        var page = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\"", page);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'none'", csp);
        Assert.Contains("form-action 'self' http://localhost:50123;", csp);
        Assert.Contains("frame-ancestors 'none'", csp);

        var form = Form(page);
        var answer = await PostPageAsync(sandbox, origin, form.Action, ("ctx", form.Fields["ctx"]),
            ("login", sandbox.Host.Seed.Admin.UserPrincipalName), ("passwd", SandboxSeed.AdminPassword), ("action", "signin"));
        var posted = await answer.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", posted);
        Assert.Equal(State, Form(posted).Fields["state"]);
        await TokensAsync(await RedeemAsync(sandbox, Form(posted).Fields["code"], Redirect, verifier));

        const string HostileRedirect = "http://localhost:1/\"><script>alert(3)</script>";
        var error = await (await sandbox.Http.GetAsync(V2(origin, HostileRedirect, challenge, State, ("login_hint", Hint)))).Content.ReadAsStringAsync();
        Assert.Contains("AADSTS50011", error);
        Assert.DoesNotContain("<script>alert", error);
        Assert.Contains("&lt;script&gt;alert(3)&lt;/script&gt;", error);
    }

    [Fact]
    public async Task AnUnknownOrExpiredSignInSessionIsThe50089Page()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await TemporarySandbox.StartAsync(o => { o.InteractiveApproval = true; o.TimeProvider = clock; });
        var origin = sandbox.Host.Url;
        var page = Form(await sandbox.Http.GetStringAsync(V2(origin, Redirect, NewPkce().Challenge, "e")));
        clock.Advance(TimeSpan.FromMinutes(15));

        foreach (var ctx in new[] { page.Fields["ctx"], "not-a-session" })
        {
            var response = await PostPageAsync(sandbox, origin, page.Action, ("ctx", ctx), ("login", sandbox.Host.Seed.Admin.UserPrincipalName), ("passwd", SandboxSeed.AdminPassword), ("action", "signin"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("AADSTS50089", await response.Content.ReadAsStringAsync());
        }
    }
}
