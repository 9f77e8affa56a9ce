using System;

namespace M365.Core.Http
{
    /// <summary>
    /// How <see cref="ResourceRequestSender"/> retries and times out requests. The defaults follow the reliability contract:
    /// 3 retries, Retry-After honoured up to <see cref="MaxDelay"/>, exponential back-off with jitter otherwise, 100 s per attempt.
    /// </summary>
    public sealed class HttpRetryOptions
    {
        /// <summary>The largest <see cref="MaxRetries"/> allowed (the Graph SDK's ceiling).</summary>
        public const int MaxRetriesLimit = 10;

        /// <summary>Retries after the first attempt, 0 to <see cref="MaxRetriesLimit"/>. Default 3.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The median first delay of the exponential back-off used when the answer has no Retry-After. Default 2 s.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>The cap on every single delay, Retry-After included. Default 3 minutes.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(3);

        /// <summary>How long one attempt may take; slow SharePoint calls need about 100 s. Default 100 s.</summary>
        public TimeSpan PerAttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The budget for all attempts and waits together, or null for none. Default null.</summary>
        public TimeSpan? TotalTimeout { get; set; }

        /// <summary>The most pages <see cref="ResourceRequestSender.ForEachPageAsync"/> follows. Default 100,000.</summary>
        public int MaxPages { get; set; } = 100_000;

        /// <summary>A copy, so a sender's options cannot change under it.</summary>
        public HttpRetryOptions Clone() => (HttpRetryOptions)MemberwiseClone();

        /// <summary>Checks every value.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public void Validate()
        {
            if (MaxRetries < 0 || MaxRetries > MaxRetriesLimit)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"MaxRetries must be between 0 and {MaxRetriesLimit}.");
            }

            if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, "BaseDelay must be between zero and one hour.");
            }

            if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must be at least BaseDelay and at most one hour.");
            }

            // Polly's timeout strategy accepts (10 ms, 24 h).
            if (PerAttemptTimeout <= TimeSpan.FromMilliseconds(10) || PerAttemptTimeout >= TimeSpan.FromHours(24))
            {
                throw new ArgumentOutOfRangeException(nameof(PerAttemptTimeout), PerAttemptTimeout, "PerAttemptTimeout must be more than 10 ms and less than 24 hours.");
            }

            if (TotalTimeout is TimeSpan total && (total <= TimeSpan.FromMilliseconds(10) || total >= TimeSpan.FromHours(24)))
            {
                throw new ArgumentOutOfRangeException(nameof(TotalTimeout), total, "TotalTimeout must be more than 10 ms and less than 24 hours.");
            }

            if (MaxPages < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxPages), MaxPages, "MaxPages must be at least 1.");
            }
        }
    }
}
