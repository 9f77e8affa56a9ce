using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Authentication;

/// <summary>The token store's answer to a claims challenge: one shared request, the cached token replaced.</summary>
public sealed class ClaimsTokenStoreTests
{
    private const string Claims = "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1\"}}}";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenAcquirer _acquirer;
    private readonly ResourceTokenStore _store;

    public ClaimsTokenStoreTests()
    {
        _acquirer = new FakeTokenAcquirer(_time);
        _store = new ResourceTokenStore(_acquirer, _time);
    }

    private M365Resource Graph { get; } = new ResourceResolver(CloudEnvironment.Public, "contoso").Graph;

    [Fact]
    public async Task ConcurrentCallersShareOneClaimsRequestAndLateOnesReuseItsToken()
    {
        AccessToken rejected = await _store.GetTokenAsync(Graph);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.ClaimsBehaviour = async (resource, claims, ct, call) =>
        {
            await release.Task.WaitAsync(ct);
            return new AccessToken("claims-token-" + call, _time.GetUtcNow().AddHours(1), resource);
        };

        Task<AccessToken>[] waiting = Enumerable.Range(0, 16).Select(_ => Task.Run(() => _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None))).ToArray();
        await Task.Delay(50);
        release.SetResult();
        AccessToken[] tokens = await Task.WhenAll(waiting);
        AccessToken late = await _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None);

        Assert.Single(_acquirer.ClaimsRequests);
        Assert.All(tokens, token => Assert.Equal("claims-token-2", token.Token));
        Assert.Same(tokens[0], late);
        Assert.Same(tokens[0], await _store.GetTokenAsync(Graph));
    }

    [Fact]
    public async Task AChallengeOfTheClaimsTokenItselfAsksAgain()
    {
        AccessToken rejected = await _store.GetTokenAsync(Graph);
        AccessToken first = await _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None);
        AccessToken second = await _store.GetTokenWithClaimsAsync(Graph, Claims, first, CancellationToken.None);

        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(2, _acquirer.ClaimsRequests.Count);
    }

    [Fact]
    public async Task AnOlderRequestFinishingLaterDoesNotReplaceTheClaimsToken()
    {
        AccessToken rejected = await _store.GetTokenAsync(Graph);
        var plainRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Behaviour = async (resource, force, ct, call) =>
        {
            await plainRelease.Task.WaitAsync(ct);
            return new AccessToken("plain-" + call, _time.GetUtcNow().AddHours(1), resource);
        };

        Task<AccessToken> plain = _store.GetTokenAsync(Graph, forceRefresh: true);
        AccessToken claimsToken = await _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None);
        plainRelease.SetResult();
        await plain;

        Assert.Same(claimsToken, await _store.GetTokenAsync(Graph));
    }

    [Fact]
    public async Task AClaimsRequestThatNeedsASignInIsRememberedLikeAnyOther()
    {
        AccessToken rejected = await _store.GetTokenAsync(Graph);
        _acquirer.ClaimsBehaviour = (resource, claims, ct, call) => throw new M365AuthenticationException(AuthenticationErrorIds.ReauthenticationRequired, "revoked");

        await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None));
        _time.Advance(TimeSpan.FromHours(2));
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(Graph));

        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, error.ErrorId);
        Assert.Equal(2, _acquirer.Calls);
    }

    [Fact]
    public async Task AClosedStoreRefusesClaimsRequests()
    {
        AccessToken rejected = await _store.GetTokenAsync(Graph);
        _store.Close();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenWithClaimsAsync(Graph, Claims, rejected, CancellationToken.None));

        Assert.Equal(AuthenticationErrorIds.ConnectionClosed, error.ErrorId);
        Assert.Empty(_acquirer.ClaimsRequests);
    }
}
