using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>App-only sign-in for runbooks: client secret, certificate, managed identity; and a bring-your-own token.</summary>
[Collection(SandboxCollection.Name)]
public sealed class AppOnlySignInTests
{
    private readonly SandboxFixture _fixture;

    public AppOnlySignInTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private Dictionary<string, object?> AppVariables(string secret = SandboxSeed.AutomationAppSecret) => new()
    {
        ["appId"] = SandboxSeed.AutomationAppId.ToString(),
        ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
        ["secret"] = Secrets.Secure(secret),
        ["pfx"] = _fixture.Sandbox.Seed.AutomationApp.CertificatePath,
    };

    [Fact]
    public void ClientSecretGivesAppOnlyTokensWithRoles()
    {
        using var session = new PowerShellSession();
        var connection = session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret -PassThru", AppVariables()).Output.Single();
        Assert.Equal("ClientSecret", connection.Str("AuthType"));

        var tokens = session.RunOk("Get-M365AccessToken -Resource Graph, SharePoint, Management").Output;
        Assert.All(tokens, t => Assert.Equal("app", t.Str("IdentityType")));
        Assert.Contains("Application.Read.All", tokens[0].Strings("Roles"));
        Assert.Equal("https://contoso.sharepoint.com", tokens[1].Str("Audience"));
        Assert.Empty(tokens[0].Strings("Scopes"));
        Assert.All(_fixture.Sandbox.GetRequestLog().Where(e => e.IsTokenRequest), e => Assert.Equal("client_credentials", e.GrantType));
    }

    [Fact]
    public void CertificateFromAFileSignsIn()
    {
        using var session = new PowerShellSession();
        var token = session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -CertificatePath $pfx; Get-M365AccessToken", AppVariables()).Output.Single();
        Assert.Equal("app", token.Str("IdentityType"));
        Assert.Equal("Certificate", session.RunOk("(Get-M365Connection).AuthType.ToString()").Output.Single().ToString());
    }

    [Fact]
    public void APasswordProtectedPfxNeedsItsPassword()
    {
        using var registered = X509CertificateLoader.LoadPkcs12FromFile(_fixture.Sandbox.Seed.AutomationApp.CertificatePath!, null, X509KeyStorageFlags.Exportable);
        var protectedPfx = Path.Combine(Path.GetTempPath(), $"m365-app-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(protectedPfx, registered.Export(X509ContentType.Pfx, "pfx-Passw0rd"));
        try
        {
            using var session = new PowerShellSession();
            var variables = AppVariables();
            variables["pfx"] = protectedPfx;
            variables["pfxPassword"] = Secrets.Secure("pfx-Passw0rd");
            variables["wrongPassword"] = Secrets.Secure("wrong");

            var wrong = session.Run("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -CertificatePath $pfx -CertificatePassword $wrongPassword", variables);
            var error = wrong.SingleError("CertificateInvalid", ErrorCategory.InvalidData);
            Assert.Contains("-CertificatePassword", error.Text(), StringComparison.Ordinal);

            var token = session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -CertificatePath $pfx -CertificatePassword $pfxPassword; Get-M365AccessToken", variables).Output.Single();
            Assert.Equal("app", token.Str("IdentityType"));
        }
        finally
        {
            File.Delete(protectedPfx);
        }
    }

    [Fact]
    public void CertificateObjectSignsInAndAnUnknownCertificateIsRefused()
    {
        using var session = new PowerShellSession();
        using var registered = X509CertificateLoader.LoadPkcs12FromFile(_fixture.Sandbox.Seed.AutomationApp.CertificatePath!, null);
        var variables = AppVariables();
        variables["cert"] = registered;
        session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -Certificate $cert", variables);

        using var rsa = RSA.Create(2048);
        using var stranger = new CertificateRequest("CN=stranger", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        variables["cert"] = stranger;
        var refused = session.Run("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -Certificate $cert", variables);
        var error = refused.SingleError("InvalidClientCertificate", ErrorCategory.AuthenticationError);
        Assert.Contains("certificate", error.Text(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AThumbprintThatIsNotInTheStoreSaysSo()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -Thumbprint 0123456789ABCDEF0123456789ABCDEF01234567", AppVariables());
        var error = result.SingleError("CertificateNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal("0123456789ABCDEF0123456789ABCDEF01234567", error.TargetObject);
    }

    [Fact]
    public void ManagedIdentityWorksThroughTheAutomationEndpoint()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _fixture.Sandbox.ManagedIdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _fixture.Sandbox.ManagedIdentityHeader);
        using var session = new PowerShellSession(interactive: false);
        var system = session.RunOk("Connect-M365 -Sandbox -ManagedIdentity; Get-M365AccessToken -Resource Graph").Output.Single();
        Assert.Equal("app", system.Str("IdentityType"));

        var userAssigned = session.RunOk(
            "Connect-M365 -Sandbox -ManagedIdentity -ManagedIdentityClientId $id -Name ua; Get-M365AccessToken -Resource Graph -Decoded",
            new Dictionary<string, object?> { ["id"] = SandboxSeed.UserAssignedIdentityClientId.ToString() }).Output.Single();
        var claims = (System.Collections.IDictionary)userAssigned.Prop("Claims")!;
        Assert.Equal(SandboxSeed.UserAssignedIdentityClientId.ToString(), claims["appid"]!.ToString(), ignoreCase: true);
        Assert.Contains(_fixture.Sandbox.GetRequestLog(), e => e.Path.StartsWith("/msi/token", StringComparison.Ordinal) && e.Status == 200);
    }

    [Fact]
    public void YammerIsRefusedForAppOnlyBeforeAnyRequest()
    {
        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret", AppVariables());
        _fixture.Sandbox.ResetRequestLog();

        var result = session.Run("Get-M365AccessToken -Resource Yammer; Get-M365AccessToken -Resource Graph");
        var error = result.SingleError("YammerRequiresDelegatedAuth", ErrorCategory.InvalidOperation);
        Assert.Equal("Yammer", error.TargetObject);
        Assert.Single(result.Output); // the Graph token after the failed Yammer one: one bad input does not stop the rest
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Host.Contains("yammer", StringComparison.Ordinal) || e.IsTokenRequest);
    }

    [Fact]
    public void ABroughtAccessTokenServesItsResourceOnly()
    {
        using var app = new PowerShellSession();
        var graphToken = app.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret; (Get-M365AccessToken).Token", AppVariables()).Output.Single().ToString();

        using var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -AccessToken $token", new Dictionary<string, object?> { ["token"] = graphToken });
        Assert.Equal(graphToken, session.RunOk("(Get-M365AccessToken -Resource Graph).Token").Output.Single().ToString());
        var other = session.Run("Get-M365AccessToken -Resource SharePoint");
        other.SingleError("AccessTokenResourceMismatch", ErrorCategory.InvalidArgument);
    }
}
