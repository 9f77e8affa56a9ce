namespace M365.Sandbox.Control;

/// <summary>The active fault rules. The first matching rule that still has firings left applies to a request.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = new();
    private int _nextId;

    public string Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate)
        {
            var id = "fault-" + (++_nextId);
            _faults.Add(new ActiveFault(id, rule));
            return id;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _faults.RemoveAll(f => f.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public IReadOnlyList<FaultStatus> List()
    {
        lock (_gate)
        {
            return _faults.Select(f => new FaultStatus(f.Id, f.Rule, f.Matched, f.Fired)).ToArray();
        }
    }

    /// <summary>Finds the fault to apply to a request and counts the match; null when none fires.</summary>
    internal (string Id, FaultRule Rule, int Firing)? Next(FaultTarget target)
    {
        lock (_gate)
        {
            foreach (var fault in _faults)
            {
                if (!fault.Rule.Matches(target) || (fault.Rule.Times is { } times && fault.Fired >= times))
                {
                    continue;
                }

                fault.Matched++;
                var fires = fault.Rule.Ratio is not { } ratio ||
                            Math.Floor(fault.Matched * ratio) > Math.Floor((fault.Matched - 1) * ratio);
                if (fires)
                {
                    fault.Fired++;
                    return (fault.Id, fault.Rule, fault.Fired);
                }
            }

            return null;
        }
    }

    private sealed class ActiveFault(string id, FaultRule rule)
    {
        public string Id { get; } = id;

        public FaultRule Rule { get; } = rule;

        public int Matched { get; set; }

        public int Fired { get; set; }
    }
}
