using BenchmarkDotNet.Attributes;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;

namespace M365.Bench;

/// <summary>
/// The token store's cache hit, the work every service request does before it is sent: a warm store with a valid token
/// (outside the refresh-ahead window), system clock, completion synchronous. Target: at most 2 µs per hit, no HTTP.
/// </summary>
[MemoryDiagnoser]
public class TokenStoreBenchmarks
{
    private const int HitsPerThread = 100_000;
    private static readonly Uri RequestUrl = new("https://contoso.sharepoint.com/sites/hr/_api/web/lists?$top=100");

    private readonly CountingTokenAcquirer _acquirer = new();
    private ResourceResolver _resolver = null!;
    private ResourceTokenStore _store = null!;
    private M365Resource _graph = null!;

    [GlobalSetup]
    public void Setup()
    {
        _resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        _graph = _resolver.Graph;
        _store = new ResourceTokenStore(_acquirer, TimeProvider.System);
        _store.GetTokenAsync(_graph).GetAwaiter().GetResult();
        _store.GetTokenAsync(_resolver.FromUrl(RequestUrl)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The two warm-up requests are the only ones allowed: any other means a "hit" went to the identity provider.
        if (_acquirer.Calls != 2)
        {
            throw new InvalidOperationException($"The benchmark requested {_acquirer.Calls} tokens; a warm cache must request none after the warm-up.");
        }
    }

    /// <summary>GetTokenAsync for a resource already in hand.</summary>
    [Benchmark(Baseline = true)]
    public AccessToken Hit() => Completed(_store.GetTokenAsync(_graph));

    /// <summary>What a request pays: resolve its URL to a resource (SharePoint host), then the cache hit.</summary>
    [Benchmark]
    public AccessToken HitFromRequestUrl() => Completed(_store.GetTokenAsync(_resolver.FromUrl(RequestUrl)));

    /// <summary>Time per hit on each of two threads hitting the same resource at once (a parallel runbook).</summary>
    [Benchmark(OperationsPerInvoke = HitsPerThread)]
    public void HitTwoThreadsContending() => Parallel.Invoke(HitMany, HitMany);

    private void HitMany()
    {
        for (int i = 0; i < HitsPerThread; i++)
        {
            Completed(_store.GetTokenAsync(_graph));
        }
    }

    private static AccessToken Completed(Task<AccessToken> task) =>
        task.IsCompletedSuccessfully
            ? task.Result
            : throw new InvalidOperationException("A warm cache hit must complete synchronously.");
}
