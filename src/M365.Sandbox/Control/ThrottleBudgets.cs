using System.Collections.Concurrent;

namespace M365.Sandbox.Control;

/// <summary>
/// Per-app request budgets (requests per sliding minute, keyed by the token's appid). A request over budget is
/// refused with 429 and a Retry-After that ends when the oldest counted request leaves the window. Refused
/// requests are not counted, so a client that waits as told gets through.
/// </summary>
public sealed class ThrottleBudgets
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, Budget> _budgets = new();
    private readonly TimeProvider _time;

    public ThrottleBudgets(TimeProvider time) => _time = time;

    public void Set(Guid appId, int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        _budgets[appId] = new Budget(requestsPerMinute);
    }

    public bool Remove(Guid appId) => _budgets.TryRemove(appId, out _);

    public void Clear() => _budgets.Clear();

    public IReadOnlyDictionary<Guid, int> List() => _budgets.ToDictionary(kv => kv.Key, kv => kv.Value.Limit);

    /// <summary>Counts a request; returns null when allowed, else how long the caller must wait.</summary>
    internal TimeSpan? TryConsume(Guid appId)
    {
        if (!_budgets.TryGetValue(appId, out var budget))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (budget)
        {
            while (budget.Requests.Count > 0 && now - budget.Requests.Peek() >= Window)
            {
                budget.Requests.Dequeue();
            }

            if (budget.Requests.Count < budget.Limit)
            {
                budget.Requests.Enqueue(now);
                return null;
            }

            var wait = budget.Requests.Peek() + Window - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        }
    }

    private sealed class Budget(int limit)
    {
        public int Limit { get; } = limit;

        public Queue<DateTimeOffset> Requests { get; } = new();
    }
}
