using System.Net;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests.Apps;

/// <summary>The Microsoft first-party public clients a registration signs in with: pre-authorized (/.default only) and dynamic consent.</summary>
public sealed class BootstrapAppTests
{
    [Theory]
    [InlineData("04b07795-8ddb-461a-bbee-02f9e1bf7b46")]
    [InlineData("1950a258-227b-4e31-a9cf-717495945fc2")]
    public async Task Azure_cli_and_powershell_take_only_default_scopes(string appId)
    {
        await using var s = await AppSandbox.StartAsync();
        var claims = await s.DeviceCodeClaimsAsync(appId, "https://graph.microsoft.com/.default offline_access");
        Assert.Contains("Application.ReadWrite.All", AppSandbox.Scopes(claims));
        Assert.Contains("DelegatedPermissionGrant.ReadWrite.All", AppSandbox.Scopes(claims));
        Assert.Contains("Directory.AccessAsUser.All", AppSandbox.Scopes(claims));

        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, "Application.ReadWrite.All"), 65002);
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(appId, s.Seed.Admin, "https://graph.microsoft.com/User.Read"), 65002);

        // Graph lists Microsoft's principal, owned by Microsoft's tenant, and no application object in this tenant.
        var token = (await TemporarySandbox.JsonAsync(await s.PasswordAsync(appId, s.Seed.Admin, "https://graph.microsoft.com/.default"))).GetProperty("access_token").GetString()!;
        var (_, sp) = await s.ResourceAsync(token, appId);
        Assert.Equal("f8cdef31-a31e-4b4a-93e4-5f571e91255a", sp.GetProperty("appOwnerOrganizationId").GetString());
        var apps = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications?$filter=appId eq '{appId}'", token);
        Assert.Equal(0, apps.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Graph_command_line_tools_takes_dynamic_scopes_consented_by_an_admin_or_a_user_where_allowed()
    {
        await using var s = await AppSandbox.StartAsync();
        var tools = SandboxSeed.GraphCommandLineToolsAppId.ToString();

        // A member may consent to User.Read for themselves, but not to an admin-only scope.
        var user = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(await s.PasswordAsync(tools, s.Seed.PlainUser, "User.Read"))).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "User.Read" }, AppSandbox.Scopes(user));
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(tools, s.Seed.PlainUser, "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All"), 65001);
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(tools, s.Seed.PlainUser, "https://graph.microsoft.com/.default"), 65001);

        // The admin's device-code sign-in consents on the fly, for the tenant.
        var admin = await s.DeviceCodeClaimsAsync(tools, "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All openid offline_access");
        Assert.Equal(new[] { "Application.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" }, AppSandbox.Scopes(admin));
        var member = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(await s.PasswordAsync(tools, s.Seed.PlainUser, "Application.ReadWrite.All"))).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "Application.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" }, AppSandbox.Scopes(member));
    }

    [Fact]
    public async Task Device_codes_can_be_approved_as_the_member()
    {
        await using var s = await AppSandbox.StartAsync();
        var tools = SandboxSeed.GraphCommandLineToolsAppId.ToString();
        var control = s.Sandbox.Host.ControlUrl + "/devicecode/user";
        using var set = await s.Sandbox.Http.PutAsync(control, Json("{\"userPrincipalName\":\"user@contoso.onmicrosoft.com\"}"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(tools, "Application.ReadWrite.All"), 65001);
        var member = await s.DeviceCodeClaimsAsync(tools, "User.Read");
        Assert.Equal("user@contoso.onmicrosoft.com", member.GetProperty("upn").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await s.Sandbox.Http.PutAsync(control, Json("{\"userPrincipalName\":\"nobody@contoso.onmicrosoft.com\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Sandbox.Http.PutAsync(control, Json("{\"userPrincipalName\":null}"))).StatusCode);
        Assert.Equal(s.Seed.Admin.UserPrincipalName, (await s.DeviceCodeClaimsAsync(tools, "User.Read")).GetProperty("upn").GetString());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_plain_user_is_a_member_with_a_password()
    {
        await using var s = await AppSandbox.StartAsync();
        var user = s.Seed.PlainUser;
        Assert.Equal("user@contoso.onmicrosoft.com", user.UserPrincipalName);
        Assert.False(user.IsAdmin || user.MfaRequired || user.MfaRegistrationRequired || user.BlockedByConditionalAccess);
        Assert.Equal(HttpStatusCode.OK, (await s.PasswordAsync(SandboxSeed.PnpManagementShellAppId.ToString(), user, "https://graph.microsoft.com/.default")).StatusCode);
        Assert.Same(s.Seed.Admin, s.Seed.DefaultUser);
    }
}
