using System.Net;
using System.Text.Json;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Tests;

public sealed class DeviceCodeTests
{
    private static readonly string PnpAppId = SandboxSeed.PnpManagementShellAppId.ToString();

    [Fact]
    public async Task AutoApprovalAnswersPendingOnceThenTokensThenAlreadyRedeemed()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var start = await StartAsync(sandbox);
        Assert.Equal(1, start.GetProperty("interval").GetInt32());
        Assert.Equal(9, start.GetProperty("user_code").GetString()!.Length);
        var deviceCode = start.GetProperty("device_code").GetString()!;

        await IdentityErrorTests.AssertAadErrorAsync(await PollAsync(sandbox, deviceCode), HttpStatusCode.BadRequest, "authorization_pending", 70016);
        var success = await PollAsync(sandbox, deviceCode, "device_code");
        Assert.Equal(HttpStatusCode.OK, success.StatusCode);
        var body = await TemporarySandbox.JsonAsync(success);
        foreach (var field in new[] { "access_token", "refresh_token", "id_token", "client_info", "expires_in", "ext_expires_in" })
        {
            Assert.True(body.TryGetProperty(field, out _), field);
        }

        Assert.DoesNotContain("openid", body.GetProperty("scope").GetString());
        await IdentityErrorTests.AssertAadErrorAsync(await PollAsync(sandbox, deviceCode), HttpStatusCode.BadRequest, "invalid_grant", 54005);
    }

    [Fact]
    public async Task ExpiredCodeAnswersExpiredToken()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.DeviceCodeLifetime = TimeSpan.FromSeconds(1));
        var deviceCode = (await StartAsync(sandbox)).GetProperty("device_code").GetString()!;
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        await IdentityErrorTests.AssertAadErrorAsync(await PollAsync(sandbox, deviceCode), HttpStatusCode.BadRequest, "expired_token", 70020);
    }

    [Fact]
    public async Task InteractiveApprovalPageApprovesAndDeclines()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        var approved = await StartAsync(sandbox);
        var verificationUri = approved.GetProperty("verification_uri").GetString()!;
        Assert.Equal($"{sandbox.Host.Url}/devicelogin", verificationUri);
        Assert.Contains(verificationUri, approved.GetProperty("message").GetString());
        var code = approved.GetProperty("device_code").GetString()!;

        // Without a person, it stays pending however often it is polled.
        for (var i = 0; i < 3; i++)
        {
            await IdentityErrorTests.AssertAadErrorAsync(await PollAsync(sandbox, code), HttpStatusCode.BadRequest, "authorization_pending", 70016);
        }

        var page = await sandbox.Http.GetStringAsync(verificationUri);
        Assert.Contains("<form method=\"post\" action=\"/devicelogin\">", page);
        var wrong = await SubmitAsync(sandbox, "https://login.microsoftonline.com/devicelogin", "NOTACODE", "approve");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("didn&#39;t work", await wrong.Content.ReadAsStringAsync());

        var mfaUser = sandbox.Host.Seed.MfaUser.UserPrincipalName;
        var ok = await SubmitAsync(sandbox, verificationUri, approved.GetProperty("user_code").GetString()!, "approve", mfaUser);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var tokens = await TemporarySandbox.JsonAsync(await PollAsync(sandbox, code));
        Assert.Equal(mfaUser, TemporarySandbox.Claims(tokens.GetProperty("access_token").GetString()!).GetProperty("upn").GetString());

        var declined = await StartAsync(sandbox);
        var no = await SubmitAsync(sandbox, "https://login.microsoftonline.com/devicelogin", declined.GetProperty("user_code").GetString()!, "decline");
        Assert.Contains("declined", await no.Content.ReadAsStringAsync());
        await IdentityErrorTests.AssertAadErrorAsync(await PollAsync(sandbox, declined.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "authorization_declined", 70000);
    }

    private static async Task<JsonElement> StartAsync(TemporarySandbox sandbox)
    {
        var response = await sandbox.PostFormAsync("https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode",
            ("client_id", PnpAppId), ("scope", "https://graph.microsoft.com/.default openid profile offline_access"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TemporarySandbox.JsonAsync(response);
    }

    private static Task<HttpResponseMessage> PollAsync(TemporarySandbox sandbox, string deviceCode, string grantType = TokenEndpoint.DeviceCodeGrantUrn) =>
        sandbox.PostFormAsync("https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
            ("grant_type", grantType), ("client_id", PnpAppId), ("device_code", deviceCode));

    private static Task<HttpResponseMessage> SubmitAsync(TemporarySandbox sandbox, string url, string code, string action, string? user = null) =>
        sandbox.PostFormAsync(url, ("code", code), ("action", action), ("user", user ?? sandbox.Host.Seed.Admin.UserPrincipalName));
}
