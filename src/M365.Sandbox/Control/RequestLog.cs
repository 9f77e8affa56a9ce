namespace M365.Sandbox.Control;

/// <summary>What the sandbox was asked, in order; bounded so a long-running sandbox does not grow without limit.</summary>
public sealed class RequestLog
{
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }

    /// <summary>The token requests, optionally of one grant type (device_code requests are logged under their URN or short form as sent).</summary>
    public IReadOnlyList<RequestLogEntry> TokenRequests(string? grantType = null) =>
        Snapshot().Where(e => e.IsTokenRequest && (grantType is null || string.Equals(e.GrantType, grantType, StringComparison.Ordinal))).ToArray();

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
