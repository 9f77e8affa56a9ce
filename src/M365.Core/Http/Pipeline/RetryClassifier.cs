using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using Polly.Timeout;

namespace M365.Core.Http
{
    /// <summary>Decides which answers and failures are worth another attempt, per the reliability contract.</summary>
    internal static class RetryClassifier
    {
        // HttpRequestException.HttpRequestError exists from .NET 8 on; netstandard2.0 can only read it by name.
        private static readonly PropertyInfo? s_httpRequestError = typeof(HttpRequestException).GetProperty("HttpRequestError");

        /// <summary>True for 429 and 503 (the service did not act) and, except for creating writes, 504.</summary>
        public static bool IsRetryableStatus(int status, RequestKind kind) =>
            status == 429 || status == 503 || (status == 504 && kind != RequestKind.CreatingWrite);

        /// <summary>
        /// True for a transient network failure or an attempt timeout, never for a DNS failure (a wrong host name does not heal)
        /// nor the caller's cancellation. A creating write is never retried after one: the service may have acted.
        /// </summary>
        /// <param name="exception">The failure.</param>
        /// <param name="kind">The request kind.</param>
        /// <param name="cancellationToken">The token in effect for the attempts (the caller's, linked with any overall budget).</param>
        public static bool IsRetryableException(Exception exception, RequestKind kind, CancellationToken cancellationToken)
        {
            if (kind == RequestKind.CreatingWrite || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            switch (exception)
            {
                case TimeoutRejectedException _:
                    return true;
                case HttpRequestException http:
                    return !IsNameResolutionFailure(http);
                case IOException _:
                    return true;
                case OperationCanceledException _:
                    // Not the caller and not our budget, so HttpClient.Timeout: a timeout like any other.
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>True when the host name could not be resolved.</summary>
        public static bool IsNameResolutionFailure(Exception exception)
        {
            if (exception is HttpRequestException http && s_httpRequestError?.GetValue(http)?.ToString() == "NameResolutionError")
            {
                return true;
            }

            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                if (current is SocketException socket && (socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NoData))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when the body is (or contains) a stream, which cannot be assumed to be re-readable.</summary>
        public static bool HasStreamBody(HttpContent? content)
        {
            switch (content)
            {
                case StreamContent _:
                    return true;
                case MultipartContent multipart:
                    foreach (HttpContent part in multipart)
                    {
                        if (HasStreamBody(part))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
