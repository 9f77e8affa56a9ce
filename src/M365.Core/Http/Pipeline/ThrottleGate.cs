using System;
using System.Threading;

namespace M365.Core.Http
{
    /// <summary>
    /// A time before which a group of requests (the batches of one bulk lookup) sends nothing: every Retry-After one of them
    /// receives holds the others too, as the service asked of the caller, not of one request. Thread-safe.
    /// </summary>
    internal sealed class ThrottleGate
    {
        private long _untilTicks;

        /// <summary>The time the gate opens (in the past when it is open).</summary>
        public DateTimeOffset Until => new DateTimeOffset(Interlocked.Read(ref _untilTicks), TimeSpan.Zero);

        /// <summary>Keeps the gate closed until at least <paramref name="until"/>; an earlier time changes nothing.</summary>
        public void Close(DateTimeOffset until)
        {
            long ticks = until.UtcTicks;
            long seen = Interlocked.Read(ref _untilTicks);
            while (ticks > seen)
            {
                long previous = Interlocked.CompareExchange(ref _untilTicks, ticks, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }

        /// <summary>How long the gate stays closed from <paramref name="now"/>; zero when it is open.</summary>
        public TimeSpan Remaining(DateTimeOffset now)
        {
            TimeSpan left = Until - now;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
