using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Authentication;

public sealed class ResourceTokenStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenAcquirer _acquirer;
    private readonly ResourceTokenStore _store;
    private readonly ResourceResolver _resolver = new(CloudEnvironment.Public, "contoso");

    public ResourceTokenStoreTests()
    {
        _acquirer = new FakeTokenAcquirer(_time);
        _store = new ResourceTokenStore(_acquirer, _time);
    }

    private M365Resource Graph => _resolver.Graph;

    [Fact]
    public async Task CacheHitMakesNoCall()
    {
        AccessToken first = await _store.GetTokenAsync(Graph);
        _time.Advance(TimeSpan.FromMinutes(30));
        AccessToken second = await _store.GetTokenAsync(Graph);

        Assert.Same(first, second);
        Assert.Equal(1, _acquirer.Calls);
    }

    [Fact]
    public async Task TokensAreKeptPerResourceOrigin()
    {
        AccessToken graph = await _store.GetTokenAsync(Graph);
        AccessToken sharePoint = await _store.GetTokenAsync(_resolver.FromUrl(new Uri("https://contoso.sharepoint.com/sites/a")));
        AccessToken sameSharePoint = await _store.GetTokenAsync(_resolver.FromName("SharePoint"));

        Assert.NotEqual(graph.Token, sharePoint.Token);
        Assert.Same(sharePoint, sameSharePoint);
        Assert.Equal(2, _acquirer.Calls);
    }

    [Fact]
    public async Task InsideRefreshWindowServesOldTokenAndRefreshesOnceInBackground()
    {
        var refresh = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        AccessToken old = await _store.GetTokenAsync(Graph);
        _acquirer.Behaviour = (r, force, ct, call) => refresh.Task;

        _time.Advance(TimeSpan.FromMinutes(56));
        AccessToken a = await _store.GetTokenAsync(Graph);
        AccessToken b = await _store.GetTokenAsync(Graph);

        Assert.Same(old, a);
        Assert.Same(old, b);
        Assert.Equal(2, _acquirer.Calls);

        AccessToken fresh = _acquirer.Issue(Graph, 99);
        refresh.SetResult(fresh);
        await WaitUntilAsync(() => _store.Snapshot()[0].ExpiresOn == fresh.ExpiresOn);

        Assert.Same(fresh, await _store.GetTokenAsync(Graph));
        Assert.Equal(2, _acquirer.Calls);
        Assert.Equal(new[] { false, true }, _acquirer.ForceFlags.ToArray());
    }

    [Fact]
    public async Task TransientRefreshFailureKeepsServingUntilExpiryThenThrows()
    {
        AccessToken old = await _store.GetTokenAsync(Graph);
        _acquirer.Behaviour = (r, force, ct, call) => Task.FromException<AccessToken>(new HttpRequestException("connection reset"));

        _time.Advance(TimeSpan.FromMinutes(56));
        Assert.Same(old, await _store.GetTokenAsync(Graph));
        await WaitUntilAsync(() => _acquirer.Calls == 2);

        // Within the retry delay no new attempt is made, and the old token is still served.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Same(old, await _store.GetTokenAsync(Graph));
        Assert.Equal(2, _acquirer.Calls);

        _time.Advance(TimeSpan.FromMinutes(4));
        await Assert.ThrowsAsync<HttpRequestException>(() => _store.GetTokenAsync(Graph));
    }

    [Fact]
    public async Task ReauthenticationFailureDuringRefreshIsRememberedAndThrownAfterExpiry()
    {
        AccessToken old = await _store.GetTokenAsync(Graph);
        _acquirer.Behaviour = (r, force, ct, call) => Task.FromException<AccessToken>(new M365AuthenticationException(
            AuthenticationErrorIds.ReauthenticationRequired, "expired", "Run Connect-M365 again.", 700082));

        _time.Advance(TimeSpan.FromMinutes(56));
        Assert.Same(old, await _store.GetTokenAsync(Graph));
        await WaitUntilAsync(() => _acquirer.Calls == 2);

        _time.Advance(TimeSpan.FromMinutes(5));
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(Graph));
        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, error.ErrorId);
        Assert.Equal(2, _acquirer.Calls);
    }

    [Fact]
    public async Task ThousandConcurrentCallersOnEmptyStoreCauseOneAcquirePerResource()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Behaviour = async (r, force, ct, call) =>
        {
            await gate.Task.WaitAsync(ct);
            return _acquirer.Issue(r, call);
        };
        M365Resource sharePoint = _resolver.FromName("SharePoint");

        Task<AccessToken>[] callers = Enumerable.Range(0, 1000)
            .Select(i => Task.Run(() => _store.GetTokenAsync(i % 2 == 0 ? Graph : sharePoint)))
            .ToArray();
        await WaitUntilAsync(() => _acquirer.Calls == 2);
        gate.SetResult();
        AccessToken[] tokens = await Task.WhenAll(callers);

        Assert.Equal(2, _acquirer.Calls);
        Assert.Equal(1, _acquirer.CallsByResource[Graph.ResourceId]);
        Assert.Equal(1, _acquirer.CallsByResource[sharePoint.ResourceId]);
        Assert.Equal(2, tokens.Select(t => t.Token).Distinct().Count());
        Assert.All(tokens.Where((t, i) => i % 2 == 0), t => Assert.Equal(Graph, t.Resource));
    }

    [Fact]
    public async Task ExpiredTokenWithManyCallersIsRefreshedOnce()
    {
        await _store.GetTokenAsync(Graph);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Behaviour = async (r, force, ct, call) =>
        {
            await gate.Task.WaitAsync(ct);
            return _acquirer.Issue(r, call);
        };
        _time.Advance(TimeSpan.FromHours(2));

        Task<AccessToken>[] callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => _store.GetTokenAsync(Graph))).ToArray();
        await WaitUntilAsync(() => _acquirer.Calls == 2);
        gate.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(2, _acquirer.Calls);
        Assert.Single(callers.Select(c => c.Result.Token).Distinct());
    }

    [Fact]
    public async Task CancelledCallerDoesNotCancelTheSharedRequestForOthers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seenByAcquirer = default;
        _acquirer.Behaviour = async (r, force, ct, call) =>
        {
            seenByAcquirer = ct;
            await gate.Task.WaitAsync(ct);
            return _acquirer.Issue(r, call);
        };
        using var cancel = new CancellationTokenSource();

        Task<AccessToken> leaving = _store.GetTokenAsync(Graph, cancel.Token);
        Task<AccessToken> staying = _store.GetTokenAsync(Graph);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.False(seenByAcquirer.IsCancellationRequested);
        gate.SetResult();
        Assert.Equal("token-1", (await staying).Token);
        Assert.Equal(1, _acquirer.Calls);
    }

    [Fact]
    public async Task RequestIsCancelledWhenEveryWaiterGivesUp()
    {
        CancellationToken seenByAcquirer = default;
        _acquirer.Behaviour = async (r, force, ct, call) =>
        {
            seenByAcquirer = ct;
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };
        using var cancel = new CancellationTokenSource();

        Task<AccessToken> only = _store.GetTokenAsync(Graph, cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => only);
        Assert.True(seenByAcquirer.IsCancellationRequested);

        // The next caller starts a new request rather than joining the abandoned one.
        _acquirer.Behaviour = null;
        Assert.Equal("token-2", (await _store.GetTokenAsync(Graph)).Token);
    }

    [Fact]
    public async Task ForceRefreshBypassesCacheButSingleFlights()
    {
        await _store.GetTokenAsync(Graph);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Behaviour = async (r, force, ct, call) =>
        {
            await gate.Task.WaitAsync(ct);
            return _acquirer.Issue(r, call);
        };

        Task<AccessToken>[] forced = Enumerable.Range(0, 50).Select(_ => _store.GetTokenAsync(Graph, forceRefresh: true)).ToArray();
        gate.SetResult();
        AccessToken[] tokens = await Task.WhenAll(forced);

        Assert.Equal(2, _acquirer.Calls);
        Assert.All(tokens, t => Assert.Equal("token-2", t.Token));
        Assert.Equal(new[] { false, true }, _acquirer.ForceFlags.ToArray());
        Assert.Equal("token-2", (await _store.GetTokenAsync(Graph)).Token);
    }

    [Fact]
    public async Task DelegatedOnlyResourceOnAppOnlyConnectionIsRefusedWithoutAcquirerCall()
    {
        _acquirer.IsAppOnly = true;

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(_resolver.FromName("Yammer")));

        Assert.Equal(AuthenticationErrorIds.YammerRequiresDelegatedAuth, error.ErrorId);
        Assert.Equal(0, _acquirer.Calls);
    }

    [Fact]
    public async Task FailedForegroundRequestIsThrownToEveryWaiterAndNextCallTriesAgain()
    {
        _acquirer.Behaviour = (r, force, ct, call) => Task.FromException<AccessToken>(new M365AuthenticationException(AuthenticationErrorIds.ConsentRequired, "consent"));

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(Graph));
        Assert.Equal(AuthenticationErrorIds.ConsentRequired, error.ErrorId);

        _acquirer.Behaviour = null;
        Assert.Equal("token-2", (await _store.GetTokenAsync(Graph)).Token);
    }

    [Fact]
    public async Task SnapshotListsResourcesWithoutTokensAndClearEmptiesTheStore()
    {
        string token = TestJwt.Create(new { aud = "https://graph.microsoft.com", scp = "Sites.Read.All User.Read", tid = "t1" });
        _acquirer.Behaviour = (r, force, ct, call) => Task.FromResult(new AccessToken(token, _time.GetUtcNow().AddHours(1), r));
        await _store.GetTokenAsync(Graph);

        CachedTokenInfo info = Assert.Single(_store.Snapshot());
        Assert.Equal(Graph, info.Resource);
        Assert.Equal(new[] { "Sites.Read.All", "User.Read" }, info.Scopes);
        Assert.DoesNotContain(token, info.ToString());

        _store.Clear();
        Assert.Empty(_store.Snapshot());
        await _store.GetTokenAsync(Graph);
        Assert.Equal(2, _acquirer.Calls);
    }

    [Fact]
    public async Task ShortLivedTokenIsRenewedAtHalfLifeNotOnEveryCall()
    {
        _acquirer.Lifetime = TimeSpan.FromMinutes(4);
        AccessToken first = await _store.GetTokenAsync(Graph);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Same(first, await _store.GetTokenAsync(Graph));
        Assert.Equal(1, _acquirer.Calls);

        _time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Same(first, await _store.GetTokenAsync(Graph));
        await WaitUntilAsync(() => _acquirer.Calls == 2);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Polls real time briefly only to let background continuations run; never a fixed sleep as an assertion.
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task AClosedStoreRefusesEveryRequestWithConnectionClosedAndAsksNothing()
    {
        await _store.GetTokenAsync(Graph);
        _store.Close();

        var cached = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(Graph));
        var forced = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(Graph, forceRefresh: true));
        var other = await Assert.ThrowsAsync<M365AuthenticationException>(() => _store.GetTokenAsync(_resolver.FromName("SharePoint")));

        Assert.All(new[] { cached, forced, other }, e => Assert.Equal(AuthenticationErrorIds.ConnectionClosed, e.ErrorId));
        Assert.Equal(1, _acquirer.Calls);
        Assert.Empty(_store.Snapshot());
        Assert.True(_store.IsClosed);
    }

    [Fact]
    public async Task ARequestThatFinishesAfterCloseFillsNoSlotAndItsWaitersGetConnectionClosed()
    {
        var pending = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquirer.Behaviour = (r, force, ct, call) => pending.Task;
        Task<AccessToken> waiting = _store.GetTokenAsync(Graph);

        _store.Close();
        pending.SetResult(_acquirer.Issue(Graph, 1));

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => waiting);
        Assert.Equal(AuthenticationErrorIds.ConnectionClosed, error.ErrorId);
        Assert.Empty(_store.Snapshot());
    }

    [Fact]
    public async Task CallersRacingCloseNeverLeaveATokenBehind()
    {
        // The acquirer answers from "MSAL's cache" until sign-out, as the real flow does; callers hammer the store meanwhile.
        for (int run = 0; run < 50; run++)
        {
            var acquirer = new FakeTokenAcquirer(_time);
            acquirer.Behaviour = async (r, force, ct, call) =>
            {
                await Task.Yield();
                return acquirer.Issue(r, call);
            };
            var store = new ResourceTokenStore(acquirer, _time);
            using var stop = new CancellationTokenSource();
            Task[] callers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                for (int n = 0; n < 10_000 && !stop.IsCancellationRequested; n++)
                {
                    try
                    {
                        await store.GetTokenAsync(i % 2 == 0 ? Graph : _resolver.FromName("SharePoint"), forceRefresh: n % 3 == 0);
                    }
                    catch (M365AuthenticationException e) when (e.ErrorId == AuthenticationErrorIds.ConnectionClosed)
                    {
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(1);
            store.Close();
            stop.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(callers);
            int callsAfterClose = acquirer.Calls;

            Assert.Empty(store.Snapshot());
            var after = await Assert.ThrowsAsync<M365AuthenticationException>(() => store.GetTokenAsync(Graph, forceRefresh: true));
            Assert.Equal(AuthenticationErrorIds.ConnectionClosed, after.ErrorId);
            Assert.Equal(callsAfterClose, acquirer.Calls);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void RefreshAheadOutsideZeroToOneHourIsRefused(int seconds)
    {
        var options = new TokenStoreOptions { RefreshAhead = TimeSpan.FromSeconds(seconds) };
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceTokenStore(_acquirer, _time, options));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceTokenStore(_acquirer, _time, new TokenStoreOptions { RefreshAhead = TimeSpan.MaxValue }));
    }
}
