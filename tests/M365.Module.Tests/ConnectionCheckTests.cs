using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>
/// Test-M365Connection and the saved defaults in the hosted engine: a runbook-like (non-interactive) session gets objects
/// only, never a prompt or a token; a plain Connect-M365 uses the saved app and Test-M365Connection says where it came from.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ConnectionCheckTests
{
    private readonly SandboxFixture _fixture;

    public ConnectionCheckTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Fact]
    public void InANonInteractiveSessionItWritesOnlyObjectsAndNeverAToken()
    {
        using var session = new PowerShellSession(interactive: false);
        var variables = new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
        };
        session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret", variables);
        var token = session.RunOk("(Get-M365AccessToken -Resource Graph).Token").Output.Single().ToString()!;

        var result = session.Run("Test-M365Connection -Resource Graph");

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
        Assert.Equal(string.Empty, result.HostText.Trim());
        Assert.All(result.Output, o => Assert.Equal("M365.PowerShell.Models.M365ConnectionCheck", o.BaseObject.GetType().FullName));
        Assert.DoesNotContain(result.Output, o => o.Properties["Result"].Value.ToString() == "Fail");
        Assert.Contains(result.Output, o => (string)o.Properties["Check"].Value == "Permission:Get-M365AadSp" && o.Properties["Result"].Value.ToString() == "Pass");
        Assert.DoesNotContain(token.Split('.')[1], result.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxSeed.AutomationAppSecret, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void AManagedIdentityHasNoAppRegistrationToCheckAndItsAppIdComesFromTheToken()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _fixture.Sandbox.ManagedIdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _fixture.Sandbox.ManagedIdentityHeader);
        using var session = new PowerShellSession(interactive: false);
        session.RunOk("Connect-M365 -Sandbox -ManagedIdentity");

        var checks = session.RunOk("Test-M365Connection").Output.ToDictionary(o => (string)o.Properties["Check"].Value + "|" + o.Properties["Resource"].Value, o => o);

        Assert.True(checks.ContainsKey("AppRegistration|"), string.Join(", ", checks.Keys));
        Assert.Contains("AppIdSource Token", (string)checks["AppId|"].Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.Equal("Pass", checks["AppRegistration|"].Properties["Result"].Value.ToString());
        Assert.StartsWith("Not applicable", (string)checks["AppRegistration|"].Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.Equal("Pass", checks["Token|Graph"].Properties["Result"].Value.ToString());
    }

    [Fact]
    public void APlainConnectUsesTheSavedAppAndTheCheckSaysWhereItCameFrom()
    {
        using var session = new PowerShellSession();
        var admin = _fixture.Sandbox.Seed.DefaultUser;
        var variables = new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.LimitedAppId.ToString(),
            ["credential"] = new PSCredential(admin.UserPrincipalName, Secrets.Secure(admin.Password!)),
        };
        session.RunOk("Set-M365Setting -AppId $appId", variables);

        var connected = session.RunOk("Connect-M365 -Sandbox -Credential $credential -PassThru -Verbose -WarningAction SilentlyContinue", variables);
        var check = session.RunOk("Test-M365Connection | Where-Object Check -eq AppId").Output.Single();

        Assert.Equal("Setting", connected.Output.Single().Properties["AppIdSource"].Value);
        Assert.Contains(connected.Verbose, line => line.Contains("AppIdSource Setting", StringComparison.Ordinal));
        Assert.Contains("AppIdSource Setting", (string)check.Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.Equal("Pass", check.Properties["Result"].Value.ToString());

        // The limited app has User.Read only: the check names what Get-M365AadSp lacks.
        var permission = session.RunOk("Test-M365Connection | Where-Object Check -eq 'Permission:Get-M365AadSp'").Output.Single();
        Assert.Equal("Fail", permission.Properties["Result"].Value.ToString());
        Assert.Contains("Application.Read.All", (string)permission.Properties["Fix"].Value, StringComparison.Ordinal);
    }
}
