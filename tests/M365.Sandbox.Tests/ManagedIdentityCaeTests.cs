using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace M365.Sandbox.Tests;

/// <summary>
/// Continuous Access Evaluation for managed identities. MSAL.NET 4.92.0 sends <c>xms_cc</c> and
/// <c>token_sha256_to_refresh</c> to the Service Fabric source only (IDENTITY_SERVER_THUMBPRINT set), so the MSAL cases
/// use it; the raw cases pin down what the endpoint accepts. MSAL keeps managed-identity tokens in a process-wide cache,
/// so each MSAL case starts with a forced refresh (a token of an earlier sandbox could answer otherwise). Environment variables are process-wide: same collection as
/// <see cref="ManagedIdentityTests"/>, never in parallel.
/// </summary>
[Collection(nameof(ManagedIdentityTests))]
public sealed partial class ManagedIdentityCaeTests
{
    private const string Graph = "https://graph.microsoft.com";
    private const string GraphCall = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=1";
    private static readonly string SystemAssigned = SandboxSeed.SystemAssignedIdentityClientId.ToString();

    [Fact]
    public async Task MsalServiceFabricSourceDeclaresCp1AndAnswersAChallengeWithTheRejectedTokensHash()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var environment = ServiceFabricEnvironment(sandbox);
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned)
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host)).WithClientCapabilities(["cp1"]).Build();

        var first = await app.AcquireTokenForManagedIdentity(Graph).WithForceRefresh(true).ExecuteAsync();
        Assert.Equal("cp1", TemporarySandbox.Claims(first.AccessToken).GetProperty("xms_cc")[0].GetString());
        var firstRequest = Assert.Single(sandbox.Host.RequestLog.TokenRequests("managed_identity_service_fabric"));
        Assert.Contains("xms_cc=cp1", firstRequest.Query);
        Assert.DoesNotContain("token_sha256_to_refresh", firstRequest.Query);
        Assert.False(firstRequest.CaeClaims);

        sandbox.Host.IssueClaimsChallenge(appId: SandboxSeed.SystemAssignedIdentityClientId);
        var rejected = await CallGraphAsync(sandbox, first.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var claims = ClaimsOf(rejected);

        sandbox.Host.ResetRequestLog();
        var second = await app.AcquireTokenForManagedIdentity(Graph).WithClaims(claims).ExecuteAsync();

        var refresh = Assert.Single(sandbox.Host.RequestLog.TokenRequests());
        Assert.Equal("managed_identity_service_fabric", refresh.GrantType);
        Assert.Contains("token_sha256_to_refresh=" + Sha256Hex(first.AccessToken), refresh.Query);
        Assert.Contains("xms_cc=cp1", refresh.Query);
        Assert.True(refresh.CaeClaims);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await CallGraphAsync(sandbox, second.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallGraphAsync(sandbox, first.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task MsalAppServiceSourceSendsNoCaeParametersSoItsTokensAreNotCaeCapable()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var environment = new EnvironmentScope(("IDENTITY_ENDPOINT", sandbox.Host.ManagedIdentityEndpoint), ("IDENTITY_HEADER", sandbox.Host.ManagedIdentityHeader), ("IDENTITY_SERVER_THUMBPRINT", null));
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned)
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host)).WithClientCapabilities(["cp1"]).Build();

        var first = await app.AcquireTokenForManagedIdentity(Graph).WithForceRefresh(true).ExecuteAsync();
        var challenge = sandbox.Host.IssueClaimsChallenge(appId: SandboxSeed.SystemAssignedIdentityClientId);
        var rejected = await CallGraphAsync(sandbox, first.AccessToken);
        Assert.Contains("error=\"invalid_token\"", rejected.Headers.WwwAuthenticate.ToString());

        await app.AcquireTokenForManagedIdentity(Graph).WithClaims(challenge.ClaimsJson).ExecuteAsync();

        var requests = sandbox.Host.RequestLog.TokenRequests("managed_identity_app_service");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.DoesNotContain("xms_cc", r.Query));
        Assert.All(requests, r => Assert.DoesNotContain("token_sha256_to_refresh", r.Query));
        Assert.All(requests, r => Assert.False(r.CaeClaims));
        Assert.False(TemporarySandbox.Claims(first.AccessToken).TryGetProperty("xms_cc", out _));
    }

    [Fact]
    public async Task OnlyAHashOfATokenTheSandboxIssuedToThatIdentityAndResourceWithCp1AnswersTheChallenge()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var graphToken = await RawTokenAsync(sandbox, Graph, "cp1", null);
        var sharePointToken = await RawTokenAsync(sandbox, "https://contoso.sharepoint.com", "cp1", null);
        sandbox.Host.IssueClaimsChallenge(appId: SandboxSeed.SystemAssignedIdentityClientId, resource: Graph);

        // A plain request, a hash of a token never issued, a hash of a token for another resource, and the right hash without cp1.
        var plain = await RawTokenAsync(sandbox, Graph, "cp1", null);
        var unknown = await RawTokenAsync(sandbox, Graph, "cp1", Sha256Hex("not a token the sandbox issued"));
        var otherResource = await RawTokenAsync(sandbox, Graph, "cp1", Sha256Hex(sharePointToken));
        var notCapable = await RawTokenAsync(sandbox, Graph, null, Sha256Hex(graphToken));
        foreach (var token in new[] { plain, unknown, otherResource, notCapable })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await CallGraphAsync(sandbox, token)).StatusCode);
        }

        Assert.False(TemporarySandbox.Claims(notCapable).TryGetProperty("xms_cc", out _));
        Assert.DoesNotContain(sandbox.Host.RequestLog.TokenRequests(), r => r.CaeClaims);

        var refreshed = await RawTokenAsync(sandbox, Graph, "cp2,cp1", Sha256Hex(graphToken).ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, (await CallGraphAsync(sandbox, refreshed)).StatusCode);
        Assert.Single(sandbox.Host.RequestLog.TokenRequests(), r => r.CaeClaims);

        // Answered for this identity and resource: its later plain requests satisfy the challenge too, as for the other flows.
        Assert.Equal(HttpStatusCode.OK, (await CallGraphAsync(sandbox, await RawTokenAsync(sandbox, Graph, "cp1", null))).StatusCode);
    }

    [Fact]
    public async Task AStickyChallengeIsNeverAnsweredByARefresh()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var token = await RawTokenAsync(sandbox, Graph, "cp1", null);
        sandbox.Host.IssueClaimsChallenge(appId: SandboxSeed.SystemAssignedIdentityClientId, sticky: true);

        var refreshed = await RawTokenAsync(sandbox, Graph, "cp1", Sha256Hex(token));

        var response = await CallGraphAsync(sandbox, refreshed);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("insufficient_claims", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ImdsIgnoresTheCaeParameters()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com&xms_cc=cp1");
        request.Headers.Add("Metadata", "true");
        var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await TemporarySandbox.JsonAsync(response)).GetProperty("access_token").GetString()!;
        Assert.False(TemporarySandbox.Claims(token).TryGetProperty("xms_cc", out _));
    }

    [Fact]
    public async Task TheServiceFabricProtocolNeedsItsSecretHeaderAndAChallengeNamesAManagedIdentity()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Host.ManagedIdentityEndpoint + "?api-version=2020-05-01&resource=https://graph.microsoft.com");
        request.Headers.Add("X-IDENTITY-HEADER", sandbox.Host.ManagedIdentityHeader);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sandbox.Http.SendAsync(request)).StatusCode);

        var userAssigned = sandbox.Host.Seed.ManagedIdentities.Single(m => m.UserAssigned);
        using var byObjectId = new HttpRequestMessage(HttpMethod.Get, sandbox.Host.ManagedIdentityEndpoint + $"?api-version=2020-05-01&resource=https://graph.microsoft.com&principalId={userAssigned.ObjectId}");
        byObjectId.Headers.Add("secret", sandbox.Host.ManagedIdentityHeader);
        var answer = await sandbox.Http.SendAsync(byObjectId);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(userAssigned.ClientId.ToString(), TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(answer)).GetProperty("access_token").GetString()!).GetProperty("appid").GetString());

        var challenge = await sandbox.Http.PostAsync(sandbox.Host.ControlUrl + "/cae/challenge", new StringContent($"{{\"app\":\"{userAssigned.ClientId}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, challenge.StatusCode);
        Assert.Equal(sandbox.Host.Descriptor.IdentityServerThumbprint, sandbox.Host.ManagedIdentityServerThumbprint);
        Assert.Matches("^[0-9A-F]{40}$", sandbox.Host.ManagedIdentityServerThumbprint);
    }

    private static async Task<string> RawTokenAsync(TemporarySandbox sandbox, string resource, string? capabilities, string? hash)
    {
        var url = sandbox.Host.ManagedIdentityEndpoint + "?api-version=2020-05-01&resource=" + Uri.EscapeDataString(resource)
            + (capabilities is null ? string.Empty : "&xms_cc=" + Uri.EscapeDataString(capabilities))
            + (hash is null ? string.Empty : "&token_sha256_to_refresh=" + hash);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("secret", sandbox.Host.ManagedIdentityHeader);
        var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TemporarySandbox.JsonAsync(response);
        if (capabilities?.Contains("cp1") == true)
        {
            Assert.Equal("cp1", TemporarySandbox.Claims(body.GetProperty("access_token").GetString()!).GetProperty("xms_cc")[0].GetString());
        }

        return body.GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> CallGraphAsync(TemporarySandbox sandbox, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, GraphCall);
        request.Headers.Authorization = new("Bearer", token);
        return await sandbox.Http.SendAsync(request);
    }

    private static string ClaimsOf(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_claims\"", header);
        return Encoding.UTF8.GetString(Convert.FromBase64String(ClaimsValue().Match(header).Groups[1].Value));
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static EnvironmentScope ServiceFabricEnvironment(TemporarySandbox sandbox) => new(
        ("IDENTITY_ENDPOINT", sandbox.Host.ManagedIdentityEndpoint),
        ("IDENTITY_HEADER", sandbox.Host.ManagedIdentityHeader),
        ("IDENTITY_SERVER_THUMBPRINT", sandbox.Host.ManagedIdentityServerThumbprint));

    [GeneratedRegex("claims=\"([^\"]+)\"")]
    private static partial Regex ClaimsValue();

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            _saved = values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
