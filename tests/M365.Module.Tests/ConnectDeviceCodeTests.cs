using System.Management.Automation;
using System.Net.Http.Headers;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>Connect-M365 with the default device-code flow against the sandbox tenant, then tokens per resource.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ConnectDeviceCodeTests
{
    private readonly SandboxFixture _fixture;

    public ConnectDeviceCodeTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Fact]
    public void OneDeviceCodeSignInServesGraphAndSharePoint()
    {
        using var session = new PowerShellSession();
        var connect = session.RunOk("Connect-M365 -Sandbox -PassThru");

        // The code reaches a person through the host UI, not only the verbose stream.
        Assert.Contains("devicelogin", connect.HostText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("code", connect.HostText, StringComparison.OrdinalIgnoreCase);
        var connection = Assert.Single(connect.Output);
        Assert.Equal(ModuleTypes.Connection, connection.TypeName());
        Assert.Equal(SandboxSeed.PnpManagementShellAppId.ToString(), connection.Str("AppId"), ignoreCase: true);
        Assert.Equal(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName, connection.Str("Identity"), ignoreCase: true);

        var tokens = session.RunOk("Get-M365AccessToken -Resource Graph, SharePoint").Output;
        Assert.Equal(new[] { "https://graph.microsoft.com", "https://contoso.sharepoint.com" }, tokens.Select(t => t.Str("Audience")));
        Assert.All(tokens, t => Assert.Equal("user", t.Str("IdentityType")));
        Assert.Contains("AllSites.FullControl", tokens[1].Strings("Scopes"));

        var log = _fixture.Sandbox.GetRequestLog();
        Assert.Single(log, e => e.Path.EndsWith("/oauth2/v2.0/devicecode", StringComparison.Ordinal));
        Assert.Single(log, e => e.IsTokenRequest && e.Status == 200 && e.GrantType!.Contains("device_code", StringComparison.Ordinal));
        Assert.Single(log, e => e.IsTokenRequest && e.GrantType == "refresh_token");

        // The SharePoint host was learned from Graph once, as the CLI for Microsoft 365 learns it.
        session.RunOk("Get-M365AccessToken -Resource SharePointAdmin, SharePoint");
        Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.Host == "graph.microsoft.com" && e.Path == "/v1.0/sites/root");
        Assert.DoesNotContain(log, e => e.IsTokenRequest && e.Status == 200 && e.GrantType is not ("refresh_token" or "device_code" or "urn:ietf:params:oauth:grant-type:device_code"));
    }

    [Fact]
    public void TheSignInLineGoesThroughTheInformationStreamAndTheCodeAlwaysReachesTheHost()
    {
        using var session = new PowerShellSession();
        const string welcome = "Signed in as ";

        // Shown by default, as Write-Host is, and kept in the information stream (so it can be captured or silenced).
        var shown = session.RunOk("Connect-M365 -Sandbox -Name shown");
        Assert.Contains(welcome, shown.HostText, StringComparison.Ordinal);
        var record = Assert.Single(shown.Information, i => i.MessageData?.ToString()?.StartsWith(welcome, StringComparison.Ordinal) == true);
        Assert.Contains("PSHOST", record.Tags);
        Assert.Contains("Connection: 'shown'", record.MessageData!.ToString(), StringComparison.Ordinal);

        foreach (var silenced in new[] { "Connect-M365 -Sandbox -Name quiet 6>$null", "Connect-M365 -Sandbox -Name quiet -InformationAction Ignore" })
        {
            var result = session.RunOk(silenced);
            Assert.DoesNotContain(welcome, result.HostText, StringComparison.Ordinal);
            Assert.Contains("devicelogin", result.HostText, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task TheTokensWorkAgainstTheirResources()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        var token = session.RunOk("Get-M365AccessToken -Resource SharePoint").Output.Single();

        using var request = new HttpRequestMessage(HttpMethod.Get, "https://contoso.sharepoint.com/_api/web");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Str("Token")!);
        request.Headers.Accept.ParseAdd("application/json;odata=nometadata");
        using var response = await _fixture.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void GetM365ConnectionShowsIdentityTenantAndResourcesButNeverATokenOrSecret()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        var token = session.RunOk("Get-M365AccessToken -Resource SharePoint").Output.Single();

        var shown = session.RunOk("Get-M365Connection | Format-List | Out-Default");
        Assert.Contains(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName, shown.HostText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_fixture.Sandbox.TenantId.ToString(), shown.HostText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("DeviceCode", shown.HostText, StringComparison.Ordinal);
        Assert.Contains("https://graph.microsoft.com", shown.HostText, StringComparison.Ordinal);
        Assert.Contains("https://contoso.sharepoint.com", shown.HostText, StringComparison.Ordinal);
        Assert.Contains("AllSites.FullControl", shown.HostText, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Str("Token")!, shown.HostText, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Str("Token")![..40], session.RunOk("\"$(Get-M365Connection)\"").Output.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetM365AccessTokenDecodedShowsTheClaims()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        var result = session.RunOk("$t = Get-M365AccessToken -Resource Graph -Decoded; $t; $t | Format-List | Out-Default");
        var token = result.Output.Single();
        var claims = Assert.IsAssignableFrom<System.Collections.IDictionary>(token.Prop("Claims"));
        Assert.Equal("https://graph.microsoft.com", claims["aud"]);
        Assert.Equal(_fixture.Sandbox.TenantId.ToString(), claims["tid"]!.ToString(), ignoreCase: true);
        Assert.Contains("upn = ", result.HostText, StringComparison.Ordinal);
        // iat, nbf and exp show their local time beside the number.
        var exp = Convert.ToInt64(claims["exp"], System.Globalization.CultureInfo.InvariantCulture);
        var local = DateTimeOffset.FromUnixTimeSeconds(exp).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"exp = {exp} ({local})", result.HostText, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Str("Token")!, token.BaseObject.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForceGetsANewTokenAndUrlPicksTheResource()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        var first = session.RunOk("Get-M365AccessToken -Url 'https://contoso-admin.sharepoint.com/_vti_bin/client.svc/ProcessQuery'").Output.Single();
        Assert.Equal("https://contoso-admin.sharepoint.com", first.Str("Audience"));
        var cached = session.RunOk("Get-M365AccessToken -Resource SharePointAdmin").Output.Single();
        Assert.Equal(first.Str("Token"), cached.Str("Token"));

        _fixture.Sandbox.ResetRequestLog();
        var forced = session.RunOk("Get-M365AccessToken -Resource SharePointAdmin -Force").Output.Single();
        Assert.NotEqual(first.Str("Token"), forced.Str("Token"));
        Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.IsTokenRequest);
    }

    [Fact]
    public void ConnectionsArePerRunspaceButAPassedConnectionWorksAnywhere()
    {
        using var first = new PowerShellSession();
        using var second = new PowerShellSession();
        var connection = first.RunOk("Connect-M365 -Sandbox -PassThru").Output.Single();

        var none = second.Run("Get-M365AccessToken -Resource Graph");
        none.SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);
        Assert.Empty(none.Output);

        var passed = second.RunOk("Get-M365AccessToken -Resource Graph -Connection $c", new Dictionary<string, object?> { ["c"] = connection });
        Assert.Equal("https://graph.microsoft.com", passed.Output.Single().Str("Audience"));
    }

    [Fact]
    public void ANonInteractiveSessionFailsFastInsteadOfWaitingForADeviceCode()
    {
        using var session = new PowerShellSession(interactive: false);
        var result = session.Run("Connect-M365 -Sandbox");
        var error = result.SingleError("DeviceCodeNonInteractive", ErrorCategory.InvalidOperation);
        Assert.Contains("-ManagedIdentity", error.Text(), StringComparison.Ordinal);
        Assert.Contains("-CertificatePath", error.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.Contains("devicecode", StringComparison.Ordinal));
    }

    [Fact]
    public void DisconnectForgetsTheConnection()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Name first; Connect-M365 -Sandbox -Name second");
        Assert.Equal(2, session.RunOk("Get-M365Connection -All").Output.Count);
        Assert.Equal("second", session.RunOk("Get-M365Connection").Output.Single().Str("Name"));

        session.RunOk("Disconnect-M365 -WhatIf");
        Assert.Equal(2, session.RunOk("Get-M365Connection -All").Output.Count);

        var gone = session.RunOk("Disconnect-M365 -PassThru");
        Assert.Equal("second", gone.Output.Single().Str("Name"));
        // No connection becomes current by itself: the next command names the open one instead of running as it.
        var none = session.Run("Get-M365Connection").SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("Open connections: first.", none.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("first", session.RunOk("Get-M365Connection -All").Output.Single().Str("Name"));

        session.Run("Disconnect-M365 -Name nosuch").SingleError("ConnectionNameNotFound", ErrorCategory.ObjectNotFound);
        session.RunOk("Disconnect-M365 -All");
        session.Run("Get-M365Connection").SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);
        session.Run("Get-M365AccessToken").SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);
    }
}
