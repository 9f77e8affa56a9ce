using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// A fake clock (FakeTimeProvider underneath) that records the due time of every timer created, so a test can see the
/// exact delay Polly waits. With <see cref="AutoAdvanceExcept"/> set, it advances the clock by each new timer's due time,
/// except timers of that length (the per-attempt timeout), so retries run instantly yet on fake time.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public RecordingTimeProvider(DateTimeOffset start) => Fake = new FakeTimeProvider(start);

    public FakeTimeProvider Fake { get; }

    public ConcurrentQueue<TimeSpan> Timers { get; } = new();

    /// <summary>When set, every other finite timer is fired by advancing the clock.</summary>
    public TimeSpan? AutoAdvanceExcept { get; set; }

    public event Action<TimeSpan>? TimerCreated;

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    /// <summary>Delays other than the per-attempt timeout, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays(TimeSpan attemptTimeout) =>
        Timers.Where(t => t != attemptTimeout && t != Timeout.InfiniteTimeSpan).ToList();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Timers.Enqueue(dueTime);
            TimerCreated?.Invoke(dueTime);
            if (AutoAdvanceExcept is TimeSpan except && dueTime != except && dueTime > TimeSpan.Zero)
            {
                _ = Task.Run(() => Fake.Advance(dueTime));
            }
        }

        return timer;
    }
}
