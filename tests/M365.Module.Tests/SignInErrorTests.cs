using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>Each Entra ID error a user meets becomes its own error id, with the fix in the message.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SignInErrorTests
{
    private readonly SandboxFixture _fixture;

    public SignInErrorTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Fact]
    public void AnUnknownAppSaysHowToRegisterOne()
    {
        using var session = new PowerShellSession();
        var error = session.Run("Connect-M365 -Sandbox -AppId $id", new Dictionary<string, object?> { ["id"] = Guid.NewGuid().ToString() })
            .SingleError("AppNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("700016", error.Text(), StringComparison.Ordinal);
        Assert.Contains("CLIMICROSOFT365_AADAPPID", error.Text(), StringComparison.Ordinal);
        Assert.Contains("-AppId", error.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppWithoutPublicClientFlowsSaysWhichSettingToTurnOn()
    {
        using var session = new PowerShellSession();
        var error = session.Run("Connect-M365 -Sandbox -AppId $id", new Dictionary<string, object?> { ["id"] = SandboxSeed.WebAppId.ToString() })
            .SingleError("PublicClientFlowsDisabled", ErrorCategory.InvalidOperation);
        Assert.Contains("Allow public client flows", error.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConsentNamesTheFix()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -AppId $id", new Dictionary<string, object?> { ["id"] = SandboxSeed.LimitedAppId.ToString() });
        var error = session.Run("Get-M365AccessToken -Resource https://contoso.sharepoint.com").SingleError("ConsentRequired", ErrorCategory.PermissionDenied);
        Assert.Equal("https://contoso.sharepoint.com", error.TargetObject);
        Assert.Contains("consent", error.Text(), StringComparison.OrdinalIgnoreCase);

        // By name, the SharePoint host must first be learned from Graph, which this app may not read: that is said plainly.
        var unknown = session.Run("Get-M365AccessToken -Resource SharePoint").SingleError("SharePointTenantUnknown", ErrorCategory.ObjectNotFound);
        Assert.Contains("Sites.Read.All", unknown.Text(), StringComparison.Ordinal);
        Assert.Contains("https://<tenant>.sharepoint.com", unknown.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongSecretAndAnUnknownTenantAreNamed()
    {
        using var session = new PowerShellSession();
        var variables = new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure("not-the-secret"),
            ["good"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
        };
        var wrong = session.Run("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret", variables)
            .SingleError("InvalidClientSecret", ErrorCategory.AuthenticationError);
        Assert.DoesNotContain("not-the-secret", wrong.Text(), StringComparison.Ordinal);

        var tenant = session.Run("Connect-M365 -Sandbox -AppId $appId -Tenant nosuchtenant.onmicrosoft.com -ClientSecret $good", variables)
            .SingleError("TenantNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("-Tenant", tenant.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void APasswordSignInWarnsAboutMfaAndMapsTheMfaError()
    {
        using var session = new PowerShellSession();
        var seed = _fixture.Sandbox.Seed;
        var good = session.RunOk(
            "Connect-M365 -Sandbox -Credential ([pscredential]::new($user, $password)) -PassThru",
            new Dictionary<string, object?> { ["user"] = seed.Admin.UserPrincipalName, ["password"] = Secrets.Secure(SandboxSeed.AdminPassword) });
        Assert.Contains(good.Warnings, w => w.Contains("MFA", StringComparison.Ordinal));
        Assert.Equal(seed.Admin.UserPrincipalName, good.Output.Single().Str("Identity"), ignoreCase: true);

        var mfa = session.Run(
            "Connect-M365 -Sandbox -Credential ([pscredential]::new($user, $password))",
            new Dictionary<string, object?> { ["user"] = seed.MfaUser.UserPrincipalName, ["password"] = Secrets.Secure(SandboxSeed.MfaUserPassword) });
        var error = mfa.SingleError("MfaRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("device code", error.Text(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SandboxSeed.MfaUserPassword, mfa.AllText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mfa.enroll", "MfaRequired", ErrorCategory.AuthenticationError, "50079")]
    [InlineData("blocked.user", "ConditionalAccessBlocked", ErrorCategory.PermissionDenied, "53003")]
    public void ConditionalAccessOutcomesHaveTheirOwnIds(string user, string errorId, ErrorCategory category, string code)
    {
        using var session = new PowerShellSession();
        var result = session.Run(
            "Connect-M365 -Sandbox -Credential ([pscredential]::new($user, $password))",
            new Dictionary<string, object?> { ["user"] = user + "@" + _fixture.Sandbox.Seed.TenantDomain, ["password"] = Secrets.Secure(SandboxSeed.MfaUserPassword) });
        var error = result.SingleError(errorId, category);
        Assert.Contains(code, error.Text(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
    }

    [Fact]
    public void NoSandboxDescriptorSaysHowToStartOne()
    {
        Environment.SetEnvironmentVariable("M365_SANDBOX", Path.Combine(Path.GetTempPath(), "no-such-sandbox", "sandbox.json"));
        using var session = new PowerShellSession();
        var error = session.Run("Connect-M365 -Sandbox").SingleError("SandboxDescriptorNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("serve", error.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownCloudIsRefused()
    {
        using var session = new PowerShellSession();
        session.Run("Connect-M365 -Environment Mars").SingleError("EnvironmentNotFound", ErrorCategory.InvalidArgument);
    }
}
