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
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
            {
                if (double.IsNaN(seconds) || double.IsInfinity(seconds))
                {
                    return null;
                }

                return seconds >= s_ceiling.TotalSeconds ? s_ceiling : TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date))
            {
                TimeSpan delta = date - now;
                return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta >= s_ceiling ? s_ceiling : delta;
            }

            return null;
        }
    }
}
