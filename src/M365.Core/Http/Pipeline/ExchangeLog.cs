using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using M365.Core.Authentication;

namespace M365.Core.Http
{
    /// <summary>
    /// The -Debug line of one HTTP exchange: method, redacted URL, status, time, the ids that correlate it with the
    /// service's logs, and the answer's media type and size. Built from an allow-list, so no header value other than those
    /// ids (checked to be plain ids), no token and no body can reach it.
    /// </summary>
    internal static class ExchangeLog
    {
        public static string Answered(string method, string redactedUrl, HttpResponseMessage response, TimeSpan elapsed, int attempt)
        {
            var line = new StringBuilder("HTTP ").Append(method).Append(' ').Append(redactedUrl)
                .Append(" -> ").Append(HttpErrorFactory.StatusText((int)response.StatusCode))
                .Append(" in ").Append(Milliseconds(elapsed)).Append(Attempt(attempt));
            Append(line, "request id", HttpErrorFactory.RequestIdOf(response));
            Append(line, CorrelationHeadersHandler.ClientRequestIdHeader, PlainHeader(response.RequestMessage?.Headers, CorrelationHeadersHandler.ClientRequestIdHeader));
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                Append(line, "Retry-After", retryAfter.Delta is TimeSpan delta
                    ? delta.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
                    : retryAfter.Date?.ToString("u", CultureInfo.InvariantCulture));
            }

            if (response.Content?.Headers is { } content)
            {
                string? media = content.ContentType?.MediaType;
                long? length = content.ContentLength;
                if (media != null && HttpErrorFactory.IsPlainId(media.Replace("/", "-").Replace("+", "-").Replace(".", "-")))
                {
                    Append(line, "content", media + (length is long n ? ", " + n.ToString(CultureInfo.InvariantCulture) + " bytes" : string.Empty));
                }
                else if (length is long n)
                {
                    Append(line, "content", n.ToString(CultureInfo.InvariantCulture) + " bytes");
                }
            }

            return line.Append('.').ToString();
        }

        public static string Failed(string method, string redactedUrl, Exception exception, TimeSpan elapsed, int attempt) =>
            string.Format(
                CultureInfo.InvariantCulture,
                "HTTP {0} {1} got no answer after {2}{3}: {4}",
                method,
                redactedUrl,
                Milliseconds(elapsed),
                Attempt(attempt),
                Sentences.End(exception.GetType().Name + ": " + SecretRedactor.Redact(exception.Message)));

        /// <summary>" (attempt 2)"; nothing for 0, an exchange whose sender (MSAL) counts no attempts.</summary>
        private static string Attempt(int attempt) =>
            attempt > 0 ? " (attempt " + attempt.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty;

        private static string Milliseconds(TimeSpan elapsed) =>
            Math.Round(elapsed.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture) + " ms";

        private static void Append(StringBuilder line, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                line.Append("; ").Append(name).Append(": ").Append(value);
            }
        }

        private static string? PlainHeader(System.Net.Http.Headers.HttpHeaders? headers, string name)
        {
            if (headers != null && headers.TryGetValues(name, out IEnumerable<string>? values))
            {
                foreach (string value in values)
                {
                    if (HttpErrorFactory.IsPlainId(value))
                    {
                        return value;
                    }
                }
            }

            return null;
        }
    }
}
