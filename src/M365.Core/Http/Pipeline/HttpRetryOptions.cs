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

        /// <summary>
        /// The default <see cref="MaxPages"/>: 1,000 pages hold 999,000 objects at Graph's largest page ($top=999) and 100,000
        /// at its default page of 100, while a hostile answer with endless distinct nextLinks stops in minutes, not days.
        /// </summary>
        public const int DefaultMaxPages = 1_000;

        /// <summary>
        /// The default <see cref="MaxResponseBytes"/>, 64 MiB: a Graph page of 999 service principals with every property is a
        /// few MB, so only a broken or hostile answer comes near it.
        /// </summary>
        public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

        /// <summary>The largest <see cref="MaxResponseBytes"/> allowed: a body is read into one array.</summary>
        public const long MaxResponseBytesLimit = 2_000_000_000;

        /// <summary>The most pages <see cref="ResourceRequestSender.ForEachPageAsync"/> follows. Default <see cref="DefaultMaxPages"/>.</summary>
        public int MaxPages { get; set; } = DefaultMaxPages;

        /// <summary>
        /// The largest body of a successful answer the sender reads into memory (a JSON answer, a raw string), in bytes. A longer
        /// body is refused with <see cref="HttpErrorIds.ResponseTooLarge"/> as soon as the Content-Length says so, or once one
        /// byte more than this has arrived, so memory stays near this bound whatever the service sends. Error bodies are read up
        /// to 64 KiB only. Default <see cref="DefaultMaxResponseBytes"/>.
        /// </summary>
        public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

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

            if (MaxResponseBytes < 1 || MaxResponseBytes > MaxResponseBytesLimit)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, $"MaxResponseBytes must be between 1 and {MaxResponseBytesLimit}.");
            }
        }
    }
}
