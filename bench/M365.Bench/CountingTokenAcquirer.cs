using M365.Core.Authentication;
using M365.Core.Resources;

namespace M365.Bench;

/// <summary>
/// Issues one-hour tokens and counts the requests, so a benchmark can prove its loop never reached the identity
/// provider (a cache hit does no HTTP).
/// </summary>
internal sealed class CountingTokenAcquirer : ITokenAcquirer
{
    private int _calls;

    public bool IsAppOnly => false;

    public int Calls => Volatile.Read(ref _calls);

    public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        return Task.FromResult(new AccessToken("bench-token-" + call, DateTimeOffset.UtcNow.AddHours(1), resource));
    }
}
