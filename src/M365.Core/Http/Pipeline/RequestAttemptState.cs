using System;
using Polly;

namespace M365.Core.Http
{
    /// <summary>What the retry strategy needs to know about one logical request; carried in Polly's ResilienceContext.</summary>
    internal sealed class RequestAttemptState
    {
        public static readonly ResiliencePropertyKey<RequestAttemptState> Key = new ResiliencePropertyKey<RequestAttemptState>("M365.RequestAttemptState");

        public RequestAttemptState(RequestKind kind, string method, string redactedUrl, bool hasStreamBody, Action<string>? verbose, int maxRetries)
        {
            Kind = kind;
            Method = method;
            RedactedUrl = redactedUrl;
            HasStreamBody = hasStreamBody;
            Verbose = verbose;
            MaxRetries = maxRetries;
        }

        public RequestKind Kind { get; }

        public string Method { get; }

        public string RedactedUrl { get; }

        /// <summary>A stream body may already be consumed, so the request is sent once only.</summary>
        public bool HasStreamBody { get; }

        public Action<string>? Verbose { get; }

        /// <summary>A success body is left unread for the caller to stream (a download to a file); error bodies are still read, bounded.</summary>
        public bool StreamsSuccessBody { get; set; }

        /// <summary>Receives one line per HTTP exchange (see <see cref="ExchangeLog"/>), or null.</summary>
        public Action<string>? Debug { get; set; }

        public int MaxRetries { get; }

        /// <summary>The gate this request shares with others of one bulk operation (its Retry-After holds them all), or null.</summary>
        public ThrottleGate? Gate { get; set; }

        /// <summary>Attempts sent so far, across the forced-refresh resend too. Only the request's own flow writes it, one attempt at a time.</summary>
        public int Attempts { get; set; }

        /// <summary>The failure of the last attempt that failed (an exception), or null. Written only by the request's own flow.</summary>
        public Exception? LastException { get; set; }

        /// <summary>The status and request id of the last attempt answered with a non-success status, or null.</summary>
        public (int Status, string? RequestId)? LastStatus { get; set; }

        /// <summary>
        /// The last failed attempt as the error it would have become, or null when no attempt failed: what a caller whose
        /// wait was cut short (Ctrl+C, -Timeout) needs to know about why it was still waiting.
        /// </summary>
        public M365HttpException? LastFailure() =>
            LastException != null ? HttpErrorFactory.FromException(LastException, Method, RedactedUrl, Attempts)
            : LastStatus is (int status, var requestId) ? HttpErrorFactory.FromStatus(status, null, null, requestId, Method, RedactedUrl, Attempts)
            : null;

        public void Log(string message) => Verbose?.Invoke(message);

        /// <summary>Reports one exchange to the debug sink (callers build the line only when <see cref="Debug"/> is set).</summary>
        public void Trace(string line) => Debug?.Invoke(line);
    }
}
