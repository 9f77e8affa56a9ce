using System;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;
using M365.Core.Authentication;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace M365.Core.Http
{
    /// <summary>
    /// Builds the Polly v8 pipeline of one (connection, resource): an optional overall budget, then retries, then a
    /// per-attempt timeout. Token acquisition (MSAL) stays outside it.
    /// </summary>
    internal static class HttpResiliencePipelineFactory
    {
        public static ResiliencePipeline<HttpResponseMessage> Create(HttpRetryOptions options, TimeProvider time)
        {
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
            if (options.TotalTimeout is TimeSpan total)
            {
                builder.AddTimeout(new TimeoutStrategyOptions { Timeout = total });
            }

            if (options.MaxRetries > 0)
            {
                TimeSpan maxDelay = options.MaxDelay;
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    MaxDelay = maxDelay,
                    ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(Gated(DelayFromRetryAfter(args.Outcome, time, maxDelay), args.Context, time, maxDelay)),
                    OnRetry = args =>
                    {
                        ReportRetry(args);
                        return default;
                    },
                });
            }

            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.PerAttemptTimeout });
            return builder.Build();
        }

        internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
        {
            if (!context.Properties.TryGetValue(RequestAttemptState.Key, out RequestAttemptState? state) || state.HasStreamBody)
            {
                return false;
            }

            return outcome.Exception is Exception exception
                ? RetryClassifier.IsRetryableException(exception, state.Kind, context.CancellationToken)
                : outcome.Result is HttpResponseMessage response && RetryClassifier.IsRetryableStatus((int)response.StatusCode, state.Kind);
        }

        /// <summary>
        /// Retry-After, capped by <paramref name="maxDelay"/> here because Polly does not apply MaxDelay to generated delays.
        /// Null lets Polly compute the exponential back-off with jitter, which it does cap.
        /// </summary>
        internal static TimeSpan? DelayFromRetryAfter(Outcome<HttpResponseMessage> outcome, TimeProvider time, TimeSpan maxDelay)
        {
            if (outcome.Result is HttpResponseMessage response && RetryAfterParser.Read(response, time.GetUtcNow()) is TimeSpan delay)
            {
                return delay > maxDelay ? maxDelay : delay;
            }

            return null;
        }

        /// <summary>
        /// For a request that shares a <see cref="ThrottleGate"/>: its Retry-After closes the gate for the others, and it waits
        /// at least until the gate opens (another request's Retry-After). Without Retry-After, Polly's back-off stands.
        /// </summary>
        internal static TimeSpan? Gated(TimeSpan? delay, ResilienceContext context, TimeProvider time, TimeSpan maxDelay)
        {
            if (delay is not TimeSpan own || !context.Properties.TryGetValue(RequestAttemptState.Key, out RequestAttemptState? state) || state.Gate is not ThrottleGate gate)
            {
                return delay;
            }

            DateTimeOffset now = time.GetUtcNow();
            gate.Close(now + own);
            TimeSpan shared = gate.Remaining(now);
            return shared > maxDelay ? maxDelay : shared > own ? shared : own;
        }

        private static void ReportRetry(OnRetryArguments<HttpResponseMessage> args)
        {
            if (!args.Context.Properties.TryGetValue(RequestAttemptState.Key, out RequestAttemptState? state) || state.Verbose is null)
            {
                return;
            }

            string cause = args.Outcome.Result is HttpResponseMessage response
                ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + response.StatusCode
                : args.Outcome.Exception is TimeoutRejectedException ? "attempt timed out"
                : SecretRedactor.Redact(args.Outcome.Exception?.GetType().Name + ": " + args.Outcome.Exception?.Message);
            state.Log(string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1}: retry {2} of {3} in {4:0.###} s after {5}.",
                state.Method,
                state.RedactedUrl,
                args.AttemptNumber + 1,
                state.MaxRetries,
                args.RetryDelay.TotalSeconds,
                cause));
        }
    }
}
