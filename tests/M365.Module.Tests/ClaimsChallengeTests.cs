using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>Continuous Access Evaluation through the cmdlets: the sandbox revokes a token mid-life with a claims challenge.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ClaimsChallengeTests : IDisposable
{
    private const string Admin = "admin@contoso.onmicrosoft.com";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    private const string Url = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=1";
    private readonly SandboxFixture _fixture;

    public ClaimsChallengeTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    public void Dispose() => _fixture.Sandbox.ClearClaimsChallenges();

    private List<RequestLogEntry> GraphCalls() =>
        _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest && e.Host == "graph.microsoft.com").ToList();

    private List<RequestLogEntry> TokenRequests() => _fixture.Sandbox.GetRequestLog().Where(e => e.IsTokenRequest).ToList();

    private PowerShellSession Delegated()
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource Graph", new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential(Admin, Secrets.Secure(SandboxSeed.AdminPassword)),
        });
        return session;
    }

    private PowerShellSession AppOnly() => SignedInSessions.AppOnly(_fixture, "$null = Get-M365AccessToken -Resource Graph");

    [Fact]
    public void GetM365AadSpAnswersAUserChallengeWithOneClaimsRequestAndOneResend()
    {
        using var session = Delegated();
        _fixture.Sandbox.IssueClaimsChallenge(userPrincipalName: Admin);
        _fixture.Sandbox.ResetRequestLog();

        var result = session.RunOk("Get-M365AadSp -AppId $id -Verbose", new Dictionary<string, object?> { ["id"] = GraphAppId });

        Assert.Equal("Microsoft Graph", Assert.Single(result.Output).Str("DisplayName"));
        Assert.Equal(new[] { 401, 200 }, GraphCalls().Select(e => e.Status));
        var token = Assert.Single(TokenRequests());
        Assert.True(token.CaeClaims);
        Assert.Equal("refresh_token", token.GrantType);
        Assert.Contains(result.Verbose, line => line.Contains("claims challenge", StringComparison.Ordinal));
    }

    [Fact]
    public void InvokeM365RequestAnswersAResourceChallengeAppOnly()
    {
        using var session = AppOnly();
        _fixture.Sandbox.IssueClaimsChallenge(appId: SandboxSeed.AutomationAppId, resource: "https://graph.microsoft.com");
        _fixture.Sandbox.ResetRequestLog();

        var result = session.RunOk("Invoke-M365Request $url; Invoke-M365Request $url", new Dictionary<string, object?> { ["url"] = Url });

        Assert.Equal(2, result.Output.Count);
        Assert.Equal(new[] { 401, 200, 200 }, GraphCalls().Select(e => e.Status));
        var token = Assert.Single(TokenRequests());
        Assert.True(token.CaeClaims);
        Assert.Equal("client_credentials", token.GrantType);
    }

    [Fact]
    public void ASecondChallengeIsClaimsChallengeFailedWithItsCategory()
    {
        using var session = AppOnly();
        _fixture.Sandbox.IssueClaimsChallenge(appId: SandboxSeed.AutomationAppId, sticky: true);
        _fixture.Sandbox.ResetRequestLog();

        var result = session.Run("Invoke-M365Request $url", new Dictionary<string, object?> { ["url"] = Url });

        var error = result.SingleError("ClaimsChallengeFailed", ErrorCategory.AuthenticationError);
        Assert.Contains("Connect-M365", error.ErrorDetails?.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(new[] { 401, 401 }, GraphCalls().Select(e => e.Status));
        Assert.Single(TokenRequests());
    }

    [Fact]
    public void ARevokedSessionUnderAChallengeIsReauthenticationRequired()
    {
        using var session = Delegated();
        _fixture.Sandbox.RevokeRefreshTokens(Admin);
        _fixture.Sandbox.IssueClaimsChallenge(userPrincipalName: Admin);

        var result = session.Run("Get-M365AadSp -AppId $id", new Dictionary<string, object?> { ["id"] = GraphAppId });

        var error = result.SingleError("ReauthenticationRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("claims challenge", error.Exception.Message, StringComparison.Ordinal);
    }
}
