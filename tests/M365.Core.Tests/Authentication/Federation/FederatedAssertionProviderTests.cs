using M365.Core.Authentication.Federation;
using Microsoft.Extensions.Time.Testing;
using static M365.Core.Tests.Authentication.Federation.FederatedTestKit;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>The reuse rule: an assertion is handed out again only while it has more than a minute left.</summary>
public sealed class FederatedAssertionProviderTests
{
    private sealed class CountingSource(Func<string> next, bool canRenew = true) : IFederatedTokenSource
    {
        public int Calls;

        public string Name => "test source";

        public bool CanRenew => canRenew;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(next());
        }
    }

    [Fact]
    public async Task AnAssertionIsReusedOnlyWhileItHasMoreThanAMinuteLeft()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        var source = new CountingSource(() => OidcToken(clock.GetUtcNow(), TimeSpan.FromMinutes(3)));
        var provider = new FederatedAssertionProvider(source, clock);

        string first = await provider.GetAssertionAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Same(first, await provider.GetAssertionAsync(CancellationToken.None)); // 2 minutes left
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(first, await provider.GetAssertionAsync(CancellationToken.None)); // 61 s left
        clock.Advance(TimeSpan.FromSeconds(1));
        string second = await provider.GetAssertionAsync(CancellationToken.None); // exactly a minute left: not more
        Assert.NotEqual(first, second);
        Assert.Equal(2, source.Calls);
        Assert.Equal(2, provider.FetchCount);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(3), provider.LastPresented!.ExpiresOn);
    }

    [Fact]
    public async Task ShortLivedOrOpaqueTokensAreFetchedEveryTime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        var sixtySeconds = new CountingSource(() => OidcToken(clock.GetUtcNow(), TimeSpan.FromSeconds(60)));
        var provider = new FederatedAssertionProvider(sixtySeconds, clock);
        for (int i = 0; i < 3; i++)
        {
            await provider.GetAssertionAsync(CancellationToken.None);
        }

        Assert.Equal(3, sixtySeconds.Calls);

        var noExpiry = new CountingSource(() => TestDoubles.TestJwt.Create(new { iss = GitHubIssuer, sub = GitHubSubject }));
        var opaque = new FederatedAssertionProvider(noExpiry, clock);
        await opaque.GetAssertionAsync(CancellationToken.None);
        await opaque.GetAssertionAsync(CancellationToken.None);
        Assert.Equal(2, noExpiry.Calls);
    }

    [Fact]
    public async Task AGivenAssertionIsTheOneTokenEvenAfterItExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        string only = OidcToken(clock.GetUtcNow(), TimeSpan.FromSeconds(30));
        var given = new CountingSource(() => only, canRenew: false);
        var provider = new FederatedAssertionProvider(given, clock);

        await provider.GetAssertionAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(only, await provider.GetAssertionAsync(CancellationToken.None));
        Assert.Equal(1, given.Calls);
    }

    [Fact]
    public async Task ConcurrentCallersShareOneFetch()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var slow = new DelegatingSource(() => { Interlocked.Increment(ref calls); return gate.Task; });
        var provider = new FederatedAssertionProvider(slow, clock);

        Task<string>[] waiting = Enumerable.Range(0, 5).Select(_ => provider.GetAssertionAsync(CancellationToken.None)).ToArray();
        gate.SetResult(OidcToken(clock.GetUtcNow(), TimeSpan.FromMinutes(10)));
        string[] got = await Task.WhenAll(waiting);

        Assert.Equal(1, calls);
        Assert.Single(got.Distinct());

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FederatedAssertionProvider(new DelegatingSource(() => new TaskCompletionSource<string>().Task), clock).GetAssertionAsync(cancelled.Token));
    }

    private sealed class DelegatingSource(Func<Task<string>> next) : IFederatedTokenSource
    {
        public string Name => "slow source";

        public bool CanRenew => true;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => next();
    }
}
