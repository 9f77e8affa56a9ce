using System.Text.RegularExpressions;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>
/// Every cmdlet, run with -Verbose -Debug through success and failure, never shows a token, refresh token, secret or
/// password in any stream, error or rendered view; the only exception is the Token property Get-M365AccessToken returns.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed partial class SecretHygieneTests
{
    private readonly SandboxFixture _fixture;

    public SecretHygieneTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"1\.AQ[A-Za-z0-9_-]{20,}")]
    private static partial Regex SandboxRefreshToken();

    [Fact]
    public void NoStreamOfAnyCmdletCarriesATokenOrASecret()
    {
        var seed = _fixture.Sandbox.Seed;
        var variables = new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
            ["wrongSecret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret + "x"),
            ["user"] = seed.Admin.UserPrincipalName,
            ["password"] = Secrets.Secure(SandboxSeed.AdminPassword),
            ["mfaUser"] = seed.MfaUser.UserPrincipalName,
            ["mfaPassword"] = Secrets.Secure(SandboxSeed.MfaUserPassword),
        };

        using var session = new PowerShellSession();
        var scripts = new[]
        {
            "Connect-M365 -Sandbox -Verbose -Debug -PassThru | Out-Default",
            "Connect-M365 -Sandbox -Name app -AppId $appId -Tenant $tenant -ClientSecret $secret -Verbose -Debug -PassThru | Out-Default",
            "Connect-M365 -Sandbox -Name wrong -AppId $appId -Tenant $tenant -ClientSecret $wrongSecret -Verbose -Debug",
            "Connect-M365 -Sandbox -Name ropc -Credential ([pscredential]::new($user, $password)) -Verbose -Debug | Out-Default",
            "Connect-M365 -Sandbox -Name mfa -Credential ([pscredential]::new($mfaUser, $mfaPassword)) -Verbose -Debug",
            "Get-M365Connection -All -Verbose -Debug | Out-Default",
            "Get-M365Connection -Name app, nosuch -Verbose -Debug | Out-Default",
            "$null = Get-M365AccessToken -Resource Graph, SharePoint, SharePointAdmin, Management, AzureManagement, Yammer -Verbose -Debug",
            "$null = Get-M365AccessToken -Connection (Get-M365Connection -Name app) -Resource Yammer, Graph -Force -Decoded -Verbose -Debug",
            "$null = Get-M365AccessToken -Resource 'http://contoso.sharepoint.com' -Verbose -Debug",
            "Get-M365Connection -All | Out-Default; \"$(Get-M365Connection)\"",
            "Disconnect-M365 -All -Verbose -Debug -PassThru | Out-Default",
        };

        var tokens = new List<string>();
        using (var probe = new PowerShellSession())
        {
            probe.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret", variables);
            tokens.AddRange(probe.RunOk("(Get-M365AccessToken -Resource Graph, SharePoint).Token").Output.Select(o => o.ToString()));
        }

        var everything = new List<string>();
        foreach (var script in scripts)
        {
            var result = session.Run(script, variables);
            everything.Add(result.AllText());
        }

        // The scripts really produced verbose output, errors and views to scan.
        var text = string.Join(Environment.NewLine, everything);
        Assert.Contains("Signing in (ClientSecret)", text, StringComparison.Ordinal);
        Assert.Contains("InvalidClientSecret", text, StringComparison.Ordinal);
        Assert.True(text.Contains("MfaRequired", StringComparison.Ordinal), everything[4]);
        Assert.Contains("YammerRequiresDelegatedAuth", text, StringComparison.Ordinal);
        Assert.Contains("https://contoso.sharepoint.com", text, StringComparison.Ordinal);

        Assert.DoesNotMatch(Jwt(), text);
        Assert.DoesNotMatch(SandboxRefreshToken(), text);
        foreach (var secret in tokens.Concat(new[] { SandboxSeed.AutomationAppSecret, SandboxSeed.AdminPassword, SandboxSeed.MfaUserPassword }))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheTokenAppearsOnlyWhereTheUserAskedForIt()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox");
        var result = session.RunOk("$t = Get-M365AccessToken -Verbose -Debug; $t; $t | Out-Default; $t | Format-List | Out-Default; \"$t\"; $t.Token");
        var token = result.Output[0].Str("Token")!;
        Assert.Matches(Jwt(), token);
        // The views (table and list) never show it; the property does, because the user asked for it.
        Assert.DoesNotContain(token[..40], Regex.Replace(result.HostText, @"\s+", string.Empty), StringComparison.Ordinal);
        Assert.Contains("graph.microsoft.com", result.HostText, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Output[1].ToString(), StringComparison.Ordinal); // ToString never does
        Assert.Equal(token, result.Output[2].ToString());
        Assert.DoesNotContain(token, string.Join("\n", result.Verbose.Concat(result.Debug).Concat(result.Warnings)), StringComparison.Ordinal);

        var secure = session.RunOk("$s = Get-M365AccessToken -AsSecureString; $s.Token.GetType().Name; ConvertFrom-SecureString -SecureString $s.Token -AsPlainText; $s | Format-List * | Out-String").Output;
        Assert.Equal("SecureString", secure[0].ToString());
        Assert.Matches(Jwt(), secure[1].ToString());
        Assert.DoesNotMatch(Jwt(), secure[2].ToString());
    }
}
