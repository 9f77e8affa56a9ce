using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Core.Tests.Integration;

/// <summary>
/// Continuous Access Evaluation end to end: the sandbox revokes tokens mid-life with an <c>insufficient_claims</c>
/// challenge, and the pipeline answers with one claims token request and one resend, app-only and delegated.
/// </summary>
public sealed class ClaimsChallengeSandboxTests : IClassFixture<ClaimsChallengeSandboxTests.Fixture>
{
    private const string GraphAudience = "https://graph.microsoft.com";
    private static readonly Uri ServicePrincipals = new("https://graph.microsoft.com/v1.0/servicePrincipals?$top=1");

    private readonly Fixture _fixture;

    public ClaimsChallengeSandboxTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Reset();
        fixture.Sandbox.ClearClaimsChallenges();
    }

    public static IEnumerable<object[]> Modes => new[] { new object[] { "app-only" }, new object[] { "delegated" } };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task OneChallengeGetsOneClaimsTokenAndOneResend(string mode)
    {
        Connection connection = _fixture.For(mode);
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        _fixture.Sandbox.IssueClaimsChallenge(resource: GraphAudience);
        _fixture.Sandbox.ResetRequestLog();
        var verbose = new List<string>();

        using JsonDocument servicePrincipals = await connection.Requests.WithVerbose(verbose.Add).GetJsonAsync(ServicePrincipals);

        Assert.Equal(JsonValueKind.Array, servicePrincipals.RootElement.GetProperty("value").ValueKind);
        IReadOnlyList<RequestLogEntry> log = _fixture.Sandbox.GetRequestLog();
        Assert.Equal(new[] { 401, 200 }, GraphCalls(log).Select(e => e.Status).ToArray());
        RequestLogEntry tokenRequest = Assert.Single(log, e => e.IsTokenRequest);
        Assert.True(tokenRequest.CaeClaims);
        Assert.Equal(mode == "app-only" ? "client_credentials" : "refresh_token", tokenRequest.GrantType);
        Assert.Contains(verbose, line => line.Contains("claims challenge", StringComparison.Ordinal));

        // The claims token replaced the revoked one: the next call needs no token request and passes.
        _fixture.Sandbox.ResetRequestLog();
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        Assert.Equal(new[] { 200 }, _fixture.Sandbox.GetRequestLog().Select(e => e.Status).ToArray());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ASecondChallengeIsClaimsChallengeFailed(string mode)
    {
        Connection connection = _fixture.For(mode);
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        _fixture.Sandbox.IssueClaimsChallenge(resource: GraphAudience, sticky: true);
        _fixture.Sandbox.ResetRequestLog();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.Requests.GetJsonAsync(ServicePrincipals));

        Assert.Equal(AuthenticationErrorIds.ClaimsChallengeFailed, error.ErrorId);
        IReadOnlyList<RequestLogEntry> log = _fixture.Sandbox.GetRequestLog();
        Assert.Equal(new[] { 401, 401 }, GraphCalls(log).Select(e => e.Status).ToArray());
        Assert.Single(log, e => e.IsTokenRequest && e.CaeClaims);
        _fixture.Sandbox.ClearClaimsChallenges();
    }

    [Fact]
    public async Task ARevokedSessionUnderAChallengeIsReauthenticationRequired()
    {
        Connection connection = await _fixture.SignInAsUserAsync();
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        _fixture.Sandbox.RevokeRefreshTokens(_fixture.AdminUpn);
        _fixture.Sandbox.IssueClaimsChallenge(userPrincipalName: _fixture.AdminUpn);

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.Requests.GetJsonAsync(ServicePrincipals));

        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, error.ErrorId);
        Assert.Equal(50173, error.AadstsCode);
        Assert.Contains("claims challenge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentCallersMakeOneClaimsRequest()
    {
        Connection connection = _fixture.AppOnly;
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        _fixture.Sandbox.IssueClaimsChallenge(appId: SandboxSeed.AutomationAppId);
        _fixture.Sandbox.ResetRequestLog();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () => (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose())));

        IReadOnlyList<RequestLogEntry> log = _fixture.Sandbox.GetRequestLog();
        Assert.Single(log, e => e.IsTokenRequest);
        Assert.Equal(12, GraphCalls(log).Count(e => e.Status == 200));
        Assert.InRange(GraphCalls(log).Count(e => e.Status == 401), 1, 12);
    }

    [Fact]
    public async Task ATokenRequestWithoutTheClaimsKeepsGettingRejectedTokens()
    {
        Connection connection = _fixture.AppOnly;
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();
        _fixture.Sandbox.IssueClaimsChallenge(resource: GraphAudience);

        // A forced refresh without the claims is not enough: the pipeline still has to answer the challenge.
        await connection.Tokens.GetTokenAsync(connection.Resources.Graph, forceRefresh: true);
        _fixture.Sandbox.ResetRequestLog();
        (await connection.Requests.GetJsonAsync(ServicePrincipals)).Dispose();

        IReadOnlyList<RequestLogEntry> log = _fixture.Sandbox.GetRequestLog();
        Assert.Equal(new[] { 401, 200 }, GraphCalls(log).Select(e => e.Status).ToArray());
        Assert.True(Assert.Single(log, e => e.IsTokenRequest).CaeClaims);
    }

    private static IEnumerable<RequestLogEntry> GraphCalls(IEnumerable<RequestLogEntry> log) =>
        log.Where(e => !e.IsTokenRequest && e.Host == "graph.microsoft.com");

    /// <summary>The sandbox with an app-only connection (the automation app) and a delegated one (the admin, by password).</summary>
    public sealed class Fixture : SandboxConnectionFixture
    {
        private Connection? _delegated;

        public Connection AppOnly => Connection;

        public string AdminUpn => Sandbox.Seed.Users.First(u => u.UserPrincipalName.StartsWith("admin@", StringComparison.Ordinal)).UserPrincipalName;

        protected override int ServicePrincipalCount => 10;

        public Connection For(string mode) => mode == "app-only"
            ? Connection
            : _delegated ??= SignInAsUserAsync().GetAwaiter().GetResult();

        public Task<Connection> SignInAsUserAsync() => new ConnectionFactory(Transport).ConnectAsync(new SignInOptions
        {
            AuthenticationType = AuthenticationType.Credential,
            AppId = SandboxSeed.PnpManagementShellAppId.ToString(),
            Tenant = Sandbox.TenantId.ToString(),
            UserName = AdminUpn,
            Password = Secure(SandboxSeed.AdminPassword),
        });
    }
}
