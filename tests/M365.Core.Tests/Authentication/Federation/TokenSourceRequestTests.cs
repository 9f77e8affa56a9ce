using System.Net;
using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Http;
using M365.Core.Tests.TestDoubles;
using static M365.Core.Tests.Authentication.Federation.FederatedTestKit;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>What each token source sends (through the session transport) and what it makes of the answer.</summary>
public sealed class TokenSourceRequestTests
{
    private static readonly string Jwt = OidcToken(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    [Fact]
    public async Task GitHubActionsGetsTheRunnersUrlWithTheExchangeAudienceAndTheRequestTokenAsBearer()
    {
        var server = new FakeHttpHandler((_, _) => FakeHttpHandler.Json($"{{\"count\":1,\"value\":\"{Jwt}\"}}"));
        using HttpTransport transport = Transport(server);
        var source = new GitHubActionsTokenSource(new Uri(GitHub[0].Item2), GitHubRequestToken, transport.Client);

        string token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(Jwt, token);
        var (request, _) = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("pipelines.actions.githubusercontent.com", request.Headers.Host);
        Assert.Equal("/abc/_apis/distributedtask/hubs/Actions/plans/p1/jobs/j1/idtoken", request.RequestUri!.AbsolutePath);
        Assert.Equal("?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange", request.RequestUri.Query);
        Assert.Equal("Bearer", request.Headers.Authorization!.Scheme);
        Assert.Equal(GitHubRequestToken, request.Headers.Authorization.Parameter);
    }

    [Fact]
    public async Task AzureDevOpsPostsForTheServiceConnectionWithTheAccessTokenAsBearer()
    {
        var server = new FakeHttpHandler((_, _) => FakeHttpHandler.Json($"{{\"oidcToken\":\"{Jwt}\"}}"));
        using HttpTransport transport = Transport(server);
        var source = new AzureDevOpsTokenSource(new Uri(AzureDevOps[0].Item2), AdoAccessToken, "5c2f0000-aaaa-bbbb-cccc-000000000001", transport.Client);

        string token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(Jwt, token);
        var (request, body) = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("dev.azure.com", request.Headers.Host);
        Assert.EndsWith("/oidctoken", request.RequestUri!.AbsolutePath);
        Assert.Equal("?api-version=7.1&serviceConnectionId=5c2f0000-aaaa-bbbb-cccc-000000000001", request.RequestUri.Query);
        Assert.Equal("Bearer " + AdoAccessToken, request.Headers.Authorization!.ToString());
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(string.Empty, body);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, null, "HTTP 401")]
    [InlineData(HttpStatusCode.NotFound, null, "HTTP 404")]
    [InlineData(HttpStatusCode.OK, "<html>sign in</html>", "without a token")]
    [InlineData(HttpStatusCode.OK, "{\"value\":\"not-a-jwt\"}", "without a token")]
    [InlineData(HttpStatusCode.OK, "{\"oidcToken\":null}", "without a token")]
    public async Task AFailedTokenRequestIsFederatedTokenRequestFailedWithoutTheRequestToken(HttpStatusCode status, string? body, string expected)
    {
        var server = new FakeHttpHandler((_, _) => body is null ? Status(status) : new HttpResponseMessage(status) { Content = new StringContent(body) });
        using HttpTransport transport = Transport(server);
        var source = new GitHubActionsTokenSource(new Uri(GitHub[0].Item2), GitHubRequestToken, transport.Client);

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenRequestFailed, error.ErrorId);
        Assert.Contains("GitHub Actions", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(GitHubRequestToken, error.ToString());
        Assert.Contains("id-token: write", error.RecommendedAction);
    }

    [Fact]
    public async Task AnUnreachableEndpointIsFederatedTokenRequestFailedAndCancellationStopsTheRequest()
    {
        var unreachable = new FakeHttpHandler((_, _) => throw new HttpRequestException("Connection refused (dev.azure.com:443)"));
        using HttpTransport transport = Transport(unreachable);
        var source = new AzureDevOpsTokenSource(new Uri(AzureDevOps[0].Item2), AdoAccessToken, "c", transport.Client);
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
        Assert.Equal(AuthenticationErrorIds.FederatedTokenRequestFailed, error.ErrorId);
        Assert.Contains("Connection refused", error.Message);
        Assert.DoesNotContain(AdoAccessToken, error.ToString());

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.GetTokenAsync(cancelled.Token));
    }

    [Fact]
    public async Task TheTokenFileIsReadAgainEachTime()
    {
        string path = Path.Combine(Path.GetTempPath(), "m365-fed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var source = new TokenFileSource(path);
            File.WriteAllText(path, Jwt + "\n");
            Assert.Equal(Jwt, await source.GetTokenAsync(CancellationToken.None));
            string next = OidcToken(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
            File.WriteAllText(path, next);
            Assert.Equal(next, await source.GetTokenAsync(CancellationToken.None));

            File.WriteAllText(path, "  \n");
            var empty = await Assert.ThrowsAsync<M365AuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
            Assert.Equal(AuthenticationErrorIds.FederatedTokenFileUnreadable, empty.ErrorId);
            Assert.Contains("it is empty", empty.Message);

            File.WriteAllText(path, "not a token");
            var garbage = await Assert.ThrowsAsync<M365AuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
            Assert.Equal(AuthenticationErrorIds.FederatedTokenFileUnreadable, garbage.ErrorId);
            Assert.Contains("JWT", garbage.Message);

            File.Delete(path);
            var missing = await Assert.ThrowsAsync<M365AuthenticationException>(() => source.GetTokenAsync(CancellationToken.None));
            Assert.Equal(AuthenticationErrorIds.FederatedTokenFileNotFound, missing.ErrorId);
            Assert.Equal(path, missing.Target);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ATokenFileThatCannotBeReadIsUnreadable()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            return; // root reads a 0000 file; Windows has no Unix modes
        }

        string path = Path.Combine(Path.GetTempPath(), "m365-fed-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, Jwt);
        File.SetUnixFileMode(path, UnixFileMode.None);
        try
        {
            var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new TokenFileSource(path).GetTokenAsync(CancellationToken.None));
            Assert.Equal(AuthenticationErrorIds.FederatedTokenFileUnreadable, error.ErrorId);
            Assert.Contains("may not read it", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
