using System;
using System.Linq;

namespace M365.Core.Http
{
    /// <summary>
    /// The retry budget and timeouts a user sets for a session or one connection (Set-M365RequestSetting), as Graph users set
    /// them with <c>Set-MgRequestContext -MaxRetry -RetryDelay -ClientTimeout</c>. A null value is not set here and comes from
    /// the level below: a connection's own setting, else the session's, else <see cref="HttpRetryOptions"/>'s default.
    /// Immutable: <see cref="With"/> makes a changed copy.
    /// </summary>
    public sealed class RequestSettings
    {
        /// <summary>No value set.</summary>
        public static readonly RequestSettings None = new RequestSettings(null, null, null);

        /// <summary>Creates settings; each value is checked as <see cref="HttpRetryOptions.Validate"/> checks it.</summary>
        /// <param name="maxRetries">Retries after the first attempt (0 to <see cref="HttpRetryOptions.MaxRetriesLimit"/>), or null.</param>
        /// <param name="retryDelay">The first back-off delay when the service sends no Retry-After (0 to 1 hour), or null.</param>
        /// <param name="requestTimeout">How long one attempt may take (more than 10 ms, less than 24 hours), or null.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public RequestSettings(int? maxRetries, TimeSpan? retryDelay, TimeSpan? requestTimeout)
        {
            MaxRetries = maxRetries;
            RetryDelay = retryDelay;
            RequestTimeout = requestTimeout;
            ApplyTo(new HttpRetryOptions { MaxDelay = TimeSpan.FromHours(1) }).Validate();
        }

        /// <summary>Retries after the first attempt, or null when not set.</summary>
        public int? MaxRetries { get; }

        /// <summary>The first back-off delay (doubling, with jitter) when the service sends no Retry-After, or null.</summary>
        public TimeSpan? RetryDelay { get; }

        /// <summary>How long one attempt may take, or null.</summary>
        public TimeSpan? RequestTimeout { get; }

        /// <summary>True when no value is set.</summary>
        public bool IsEmpty => MaxRetries is null && RetryDelay is null && RequestTimeout is null;

        /// <summary>A copy with the given values replaced (a null argument keeps this value).</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public RequestSettings With(int? maxRetries = null, TimeSpan? retryDelay = null, TimeSpan? requestTimeout = null) =>
            new RequestSettings(maxRetries ?? MaxRetries, retryDelay ?? RetryDelay, requestTimeout ?? RequestTimeout);

        /// <summary>
        /// <paramref name="options"/> with the values set here in place of its own, changed in place and returned. A retry
        /// delay above the options' cap on each delay raises the cap with it.
        /// </summary>
        public HttpRetryOptions ApplyTo(HttpRetryOptions options)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.MaxRetries = MaxRetries ?? options.MaxRetries;
            if (RetryDelay is TimeSpan delay)
            {
                options.BaseDelay = delay;
                options.MaxDelay = delay > options.MaxDelay ? delay : options.MaxDelay;
            }

            options.PerAttemptTimeout = RequestTimeout ?? options.PerAttemptTimeout;
            return options;
        }

        /// <inheritdoc />
        public override string ToString() =>
            IsEmpty ? "(defaults)" : string.Join(", ", new[]
            {
                MaxRetries is int retries ? "MaxRetry " + retries : null,
                RetryDelay is TimeSpan delay ? "RetryDelay " + delay.TotalSeconds + " s" : null,
                RequestTimeout is TimeSpan timeout ? "RequestTimeout " + timeout.TotalSeconds + " s" : null,
            }.Where(part => part != null));
    }
}
