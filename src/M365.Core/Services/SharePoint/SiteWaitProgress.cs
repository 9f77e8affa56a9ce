using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// What a wait for many sites shows a person: how many are done as a percentage, how long it has waited, and the URLs
    /// still provisioning (the first few, then how many more).
    /// </summary>
    public sealed class SiteWaitProgress
    {
        private const int UrlsShown = 3;

        /// <summary>Describes a wait.</summary>
        /// <param name="done">Sites whose wait ended (ready, failed or timed out).</param>
        /// <param name="submitted">Sites waited for in all.</param>
        /// <param name="waiting">URLs of the sites still provisioning.</param>
        /// <param name="elapsed">How long since the first site was submitted.</param>
        public SiteWaitProgress(int done, int submitted, IReadOnlyList<string> waiting, TimeSpan elapsed)
        {
            if (waiting is null)
            {
                throw new ArgumentNullException(nameof(waiting));
            }

            PercentComplete = submitted > 0 ? Math.Min(100, Math.Max(0, done) * 100 / submitted) : 0;
            Status = string.Format(CultureInfo.InvariantCulture, "{0} of {1} sites done ({2} %), {3} elapsed", done, submitted, PercentComplete, Elapsed(elapsed));
            Waiting = waiting.Count == 0
                ? "Waiting for no site."
                : "Waiting for " + string.Join(", ", waiting.Take(UrlsShown))
                    + (waiting.Count > UrlsShown ? string.Format(CultureInfo.InvariantCulture, " and {0} more", waiting.Count - UrlsShown) : string.Empty)
                    + ".";
        }

        /// <summary>0 to 100.</summary>
        public int PercentComplete { get; }

        /// <summary>"2 of 5 sites done (40 %), 1 min 05 s elapsed".</summary>
        public string Status { get; }

        /// <summary>"Waiting for https://…/a, https://…/b, https://…/c and 2 more."</summary>
        public string Waiting { get; }

        private static string Elapsed(TimeSpan elapsed)
        {
            var whole = TimeSpan.FromSeconds(Math.Floor(Math.Max(0, elapsed.TotalSeconds)));
            return whole.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0} min {1:00} s", (int)whole.TotalMinutes, whole.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0} s", whole.Seconds);
        }
    }
}
