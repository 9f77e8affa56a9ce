using System.Collections.Concurrent;
using M365.Core.Authentication;
using M365.Core.Resources;

namespace M365.Core.Tests.TestDoubles;

/// <summary>Counts calls per resource and answers with a script (by default a token valid for one hour).</summary>
internal sealed class FakeTokenAcquirer : ITokenAcquirer, IClaimsTokenAcquirer
{
    private readonly TimeProvider _time;
    private int _calls;

    public FakeTokenAcquirer(TimeProvider time) => _time = time;

    public bool IsAppOnly { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Replaces the default answer; gets the resource, forceRefresh, the request's token and the call number.</summary>
    public Func<M365Resource, bool, CancellationToken, int, Task<AccessToken>>? Behaviour { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentDictionary<string, int> CallsByResource { get; } = new();

    public ConcurrentQueue<bool> ForceFlags { get; } = new();

    public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        CallsByResource.AddOrUpdate(resource.ResourceId, 1, (_, n) => n + 1);
        ForceFlags.Enqueue(forceRefresh);
        return Behaviour != null
            ? Behaviour(resource, forceRefresh, cancellationToken, call)
            : Task.FromResult(Issue(resource, call));
    }

    /// <summary>The claims of every claims request, in order.</summary>
    public ConcurrentQueue<string> ClaimsRequests { get; } = new();

    /// <summary>Replaces the default answer to a claims request; gets the resource, the claims and the call number.</summary>
    public Func<M365Resource, string, CancellationToken, int, Task<AccessToken>>? ClaimsBehaviour { get; set; }

    public Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        ClaimsRequests.Enqueue(claims);
        return ClaimsBehaviour != null
            ? ClaimsBehaviour(resource, claims, cancellationToken, call)
            : Task.FromResult(new AccessToken("claims-token-" + call, _time.GetUtcNow() + Lifetime, resource));
    }

    public AccessToken Issue(M365Resource resource, int call) =>
        new AccessToken("token-" + call, _time.GetUtcNow() + Lifetime, resource);
}
