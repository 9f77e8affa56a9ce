using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;

namespace M365.Core.Http
{
    /// <summary>
    /// Reads <c>Retry-After</c> as the service meant it: seconds, decimals allowed (Graph sends <c>0.249</c>, which the typed
    /// header parser rejects), or an HTTP date, measured as its total distance from now (never <c>TimeSpan.Seconds</c>).
    /// </summary>
    internal static class RetryAfterParser
    {
        // Far beyond any cap, yet small enough that TimeSpan arithmetic cannot overflow on hostile values.
        private static readonly TimeSpan s_ceiling = TimeSpan.FromDays(1);

        // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the obsolete RFC 850 and asctime forms recipients must accept.
        private static readonly string[] s_httpDateFormats = { "r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy" };

        /// <summary>The delay the answer asks for, or null when it has no usable Retry-After.</summary>
        public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response.Headers.TryGetValues("Retry-After", out IEnumerable<string>? values))
            {
                foreach (string value in values)
                {
                    TimeSpan? delay = Parse(value, now);
                    if (delay != null)
                    {
                        return delay;
                    }
                }
            }

            return null;
        }

        /// <summary>Parses one header value; null when it is neither seconds nor an HTTP date.</summary>
        public static TimeSpan? Parse(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            string text = value!.Trim();
            // Digits and one decimal point only: .NET's number parser also takes trailing NUL characters ("516\0").
            if (IsDecimal(text) && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
            {
                if (double.IsNaN(seconds) || double.IsInfinity(seconds))
                {
                    return null;
                }

                return seconds >= s_ceiling.TotalSeconds ? s_ceiling : TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            // RFC 9110's three forms only: a lenient parse would take "1-3" or "8 4" for a date in the current year, so the
            // wait would depend on the machine's clock rather than on the answer.
            if (DateTimeOffset.TryParseExact(text, s_httpDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out DateTimeOffset date))
            {
                TimeSpan delta = date - now;
                return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta >= s_ceiling ? s_ceiling : delta;
            }

            return null;
        }

        private static bool IsDecimal(string text)
        {
            int points = 0;
            foreach (char c in text)
            {
                if (c == '.')
                {
                    points++;
                }
                else if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return points <= 1;
        }
    }
}
