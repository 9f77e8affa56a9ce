using System.Net;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests.Apps;

/// <summary>An app created through Graph signs in as a seeded one does: public-client rules, consented scopes and roles only, certificates, replication, deletion.</summary>
public sealed class CreatedAppSignInTests
{
    private const string GraphDefault = "https://graph.microsoft.com/.default openid profile offline_access";

    private static object PublicApp(string name, bool fallback = true) => new
    {
        displayName = name,
        signInAudience = "AzureADMyOrg",
        isFallbackPublicClient = fallback,
        publicClient = new { redirectUris = new[] { SandboxSeed.LoopbackRedirectUri, SandboxSeed.NativeClientRedirectUri } },
    };

    private static async Task<(string AppId, string SpId, string GraphSpId)> ConsentedAppAsync(AppSandbox s, string admin, object body, string? graphScope)
    {
        var appId = (await s.CreateAppAsync(admin, body)).GetProperty("appId").GetString()!;
        var spId = await s.CreateServicePrincipalAsync(admin, appId);
        var (graphSpId, _) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);
        if (graphScope is not null)
        {
            await s.GrantAsync(admin, spId, graphSpId, graphScope);
        }

        return (appId, spId, graphSpId);
    }

    [Fact]
    public async Task Device_code_with_a_new_app_carries_exactly_the_granted_scopes_and_65001_elsewhere()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var (appId, spId, _) = await ConsentedAppAsync(s, admin, PublicApp("Device app"), "User.Read Sites.Read.All");

        var claims = await s.DeviceCodeClaimsAsync(appId, GraphDefault);
        Assert.Equal(new[] { "Sites.Read.All", "User.Read" }, AppSandbox.Scopes(claims));
        Assert.Equal(appId, claims.GetProperty("appid").GetString());
        Assert.Equal("https://graph.microsoft.com", claims.GetProperty("aud").GetString());

        // A named scope that was not granted, and a resource without any grant: consent required.
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, "https://graph.microsoft.com/Mail.Send"), 65001);
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, "https://contoso.sharepoint.com/.default"), 65001);

        // ROPC for the plain user too, and the token follows a widened grant.
        var (sharePointSpId, _) = await s.ResourceAsync(admin, AppSandbox.SharePointAppId);
        await s.GrantAsync(admin, spId, sharePointSpId, "AllSites.FullControl");
        using var ropc = await s.PasswordAsync(appId, s.Seed.PlainUser, "https://contoso.sharepoint.com/.default");
        Assert.Equal(HttpStatusCode.OK, ropc.StatusCode);
        var sharePoint = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(ropc)).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "AllSites.FullControl" }, AppSandbox.Scopes(sharePoint));
        Assert.Equal(s.Seed.PlainUser.UserPrincipalName, sharePoint.GetProperty("upn").GetString());
    }

    [Fact]
    public async Task Public_client_flows_follow_the_registration()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var (appId, _, _) = await ConsentedAppAsync(s, admin, PublicApp("Browser only", fallback: false), "User.Read");

        // Without "Allow public client flows", device code and ROPC need a credential the app does not have.
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, GraphDefault), 7000218);
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(appId, s.Seed.PlainUser, GraphDefault), 7000218);

        // Its mobile-and-desktop redirect URI makes browser sign-in a public client's: the code is redeemed without a secret.
        var (verifier, challenge) = AuthorizeFlow.NewPkce();
        const string Redirect = "http://localhost:51234/";
        using var authorize = await s.Sandbox.Http.GetAsync(AuthorizeFlow.V2("https://login.microsoftonline.com", Redirect, challenge, "st",
            ("client_id", appId), ("response_mode", "query")));
        var code = AuthorizeFlow.Redirected(authorize)["code"];
        using var redeemed = await s.Sandbox.PostFormAsync(s.Sandbox.Token, ("grant_type", "authorization_code"), ("client_id", appId), ("code", code),
            ("redirect_uri", Redirect), ("code_verifier", verifier), ("scope", GraphDefault));
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var claims = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(redeemed)).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "User.Read" }, AppSandbox.Scopes(claims));

        // A redirect URI the app did not register is refused on the error page.
        using var wrong = await s.Sandbox.Http.GetAsync(AuthorizeFlow.V2("https://login.microsoftonline.com", "https://evil.example/cb", challenge, "st", ("client_id", appId)));
        Assert.Contains("AADSTS50011", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task App_only_with_an_uploaded_certificate_carries_exactly_the_assigned_roles()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        using var certificate = s.NewCertificate();
        var (appId, spId, graphSpId) = await ConsentedAppAsync(s, admin, new { displayName = "Daemon", keyCredentials = new[] { AppSandbox.KeyCredential(certificate) } }, null);
        var (_, graphSp) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);

        using (var unassigned = await s.AppOnlyAsync(appId, certificate))
        {
            Assert.Equal(HttpStatusCode.OK, unassigned.StatusCode);
            Assert.Empty(AppSandbox.Roles(TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(unassigned)).GetProperty("access_token").GetString()!)));
        }

        foreach (var role in new[] { "Sites.Read.All", "Application.Read.All" })
        {
            await s.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin,
                new { principalId = spId, resourceId = graphSpId, appRoleId = AppSandbox.RoleId(graphSp, role) });
        }

        using var assigned = await s.AppOnlyAsync(appId, certificate);
        var claims = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(assigned)).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "Application.Read.All", "Sites.Read.All" }, AppSandbox.Roles(claims));
        Assert.Equal(spId, claims.GetProperty("oid").GetString());
        Assert.Equal("2", claims.GetProperty("appidacr").GetString());

        // The token works on Graph: the app reads the applications of the tenant.
        var token = (await TemporarySandbox.JsonAsync(await s.AppOnlyAsync(appId, certificate))).GetProperty("access_token").GetString()!;
        await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications(appId='{appId}')", token);

        // Another certificate, and no credential at all, are refused.
        using var other = s.NewCertificate("CN=not registered");
        await AppSandbox.ExpectAadAsync(await s.AppOnlyAsync(appId, other), 700027);
        await AppSandbox.ExpectAadAsync(await s.Sandbox.PostFormAsync(s.Sandbox.Token, ("grant_type", "client_credentials"), ("client_id", appId),
            ("scope", "https://graph.microsoft.com/.default")), 7000218);
    }

    [Fact]
    public async Task App_only_without_a_service_principal_is_7000229()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        using var certificate = s.NewCertificate();
        var appId = (await s.CreateAppAsync(admin, new { displayName = "No SP", keyCredentials = new[] { AppSandbox.KeyCredential(certificate) } })).GetProperty("appId").GetString()!;
        await AppSandbox.ExpectAadAsync(await s.AppOnlyAsync(appId, certificate), 7000229);
        var spId = await s.CreateServicePrincipalAsync(admin, appId);
        Assert.Equal(HttpStatusCode.OK, (await s.AppOnlyAsync(appId, certificate)).StatusCode);
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/servicePrincipals/{spId}", admin);
        await AppSandbox.ExpectAadAsync(await s.AppOnlyAsync(appId, certificate), 7000229);
    }

    [Fact]
    public async Task A_new_app_is_unknown_until_replicated_and_after_it_is_deleted()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        await s.SetReplicationAsync(30);
        var app = await s.CreateAppAsync(admin, PublicApp("Replicating"));
        var appId = app.GetProperty("appId").GetString()!;
        var spId = await s.CreateServicePrincipalAsync(admin, appId);
        var (graphSpId, _) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);
        await s.GrantAsync(admin, spId, graphSpId, "User.Read");

        // Graph knows it at once; sign-in does not yet.
        await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications(appId='{appId}')", admin);
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, GraphDefault), 700016);
        s.Clock.Advance(TimeSpan.FromSeconds(29));
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(appId, s.Seed.PlainUser, GraphDefault), 700016);
        s.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new[] { "User.Read" }, AppSandbox.Scopes(await s.DeviceCodeClaimsAsync(appId, GraphDefault)));

        using var setting = await s.Sandbox.Http.GetAsync(s.Sandbox.Host.ControlUrl + "/apps/replication");
        Assert.Equal(30, (await TemporarySandbox.JsonAsync(setting)).GetProperty("seconds").GetDouble());
        using var bad = await s.Sandbox.Http.PutAsync(s.Sandbox.Host.ControlUrl + "/apps/replication", new StringContent("{\"seconds\":-1}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/applications/{app.GetProperty("id").GetString()}", admin);
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, GraphDefault), 700016);
    }

    [Fact]
    public async Task A_deleted_seeded_app_stops_signing_in()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var limited = s.Seed.LimitedApp;
        Assert.Equal(HttpStatusCode.OK, (await s.DeviceCodeAsync(limited.AppId.ToString(), GraphDefault)).StatusCode);
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/applications/{limited.ApplicationObjectId}", admin);
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(limited.AppId.ToString(), GraphDefault), 700016);
    }
}
