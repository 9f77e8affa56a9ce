using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>
/// Issue 16: where Invoke-M365Request and Get-M365AccessToken may send a token, in the hosted engine against the sandbox.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class TokenDestinationCmdletTests
{
    private readonly SandboxFixture _fixture;

    public TokenDestinationCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private PowerShellSession SignedIn()
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource Graph, SharePoint", new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential("admin@contoso.onmicrosoft.com", Secrets.Secure(SandboxSeed.AdminPassword)),
        });
        _fixture.Sandbox.ResetRequestLog();
        return session;
    }

    [Theory]
    [InlineData("https://evil.example/x", "Graph")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "Graph")]
    [InlineData("https://evil.example/x", "https://contoso.sharepoint.com")]
    public void AMicrosoftAudienceForAnotherHostIsRefusedAndNothingIsSent(string url, string resource)
    {
        using var session = SignedIn();

        var result = session.Run("Invoke-M365Request $url -Resource $resource", new Dictionary<string, object?> { ["url"] = url, ["resource"] = resource });

        var error = result.SingleError("ResourceHostMismatch", ErrorCategory.SecurityError);
        Assert.Equal(url, error.TargetObject?.ToString());
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Theory]
    [InlineData("@{ 'X-A' = \"b`r`nAuthorization: Bearer attacker\" }", "X-A")]
    [InlineData("@{ 'X-A' = \"b`nAuthorization: Bearer attacker\" }", "X-A")]
    [InlineData("@{ 'X-A' = \"b`0\" }", "X-A")]
    [InlineData("@{ authorization = 'Bearer attacker' }", "authorization")]
    public void AHeaderThatCouldInjectLinesIsRefusedWithTheHeaderAsTarget(string headers, string name)
    {
        using var session = SignedIn();

        var result = session.Run($"Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -Headers {headers}");

        var error = result.SingleError("RequestHeaderInvalid", ErrorCategory.InvalidArgument);
        Assert.Equal(name, error.TargetObject?.ToString());
        Assert.DoesNotContain("attacker", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public void APathStartingWithTwoSlashesReachesNoOtherServer()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        int port = ((IPEndPoint)other.LocalEndpoint).Port;
        using var session = SignedIn();

        var result = session.Run($"Invoke-M365Request 'https://graph.microsoft.com//127.0.0.1:{port}/stolen'; Invoke-M365Request 'https://graph.microsoft.com/\\127.0.0.1:{port}/stolen'");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("RequestUriInvalid,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.False(other.Pending());
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public void GetM365AccessTokenAcceptsYourApisAppIdUriAndAppId()
    {
        using var session = SignedIn();

        var byUri = session.RunOk("Get-M365AccessToken -Resource api://contoso-api").Output.Single();
        var byId = session.RunOk("Get-M365AccessToken -Resource $id", new Dictionary<string, object?> { ["id"] = SandboxSeed.ContosoApiAppId.ToString() }).Output.Single();

        Assert.Equal("api://contoso-api", byUri.Str("Audience"));
        Assert.Contains("user_impersonation", (string[])byUri.Properties["Scopes"].Value);
        Assert.Equal(SandboxSeed.ContosoApiAppId.ToString(), byId.Str("Audience"));
    }

    [Fact]
    public void AnUnknownAppIdUriIsResourceNotInTenant()
    {
        using var session = SignedIn();

        var result = session.Run("Get-M365AccessToken -Resource api://no-such-api");

        result.SingleError("ResourceNotInTenant", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void InvokeM365RequestSendsYourApisTokenToItsHostOnly()
    {
        using var session = SignedIn();

        var result = session.Run("Invoke-M365Request https://api.contoso.example/items -Resource api://contoso-api");

        result.SingleError("ResourceNotFound", ErrorCategory.ObjectNotFound);
        var sent = _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest).ToList();
        Assert.Equal("api.contoso.example", Assert.Single(sent).Host);
        Assert.Contains(_fixture.Sandbox.GetRequestLog(), e => e.IsTokenRequest && e.Audience == "api://contoso-api");
    }
}
