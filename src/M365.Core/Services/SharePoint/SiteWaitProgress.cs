using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// What a wait for many sites shows a person: how many are done as a percentage, how long it has waited, and the URLs
    /// still provisioning (the first few, then how many more); and, when the wait is stopped, which sites go on provisioning.
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

        /// <summary>
        /// What a person must know when a wait is stopped: the submitted sites SharePoint goes on provisioning, with the
        /// command that checks them, and a creation that was being sent. Null when there is nothing to say.
        /// </summary>
        /// <param name="provisioning">URLs of the submitted sites still provisioning.</param>
        /// <param name="sending">The site whose creation was being sent (its URL, or "the team site {alias}"), if any.</param>
        public static string? Stopped(IReadOnlyList<string> provisioning, string? sending)
        {
            if (provisioning is null)
            {
                throw new ArgumentNullException(nameof(provisioning));
            }

            var parts = new List<string>();
            if (provisioning.Count > 0)
            {
                parts.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "Stopped while {0} submitted site(s) were still provisioning; SharePoint goes on creating them: {1}.",
                    provisioning.Count,
                    string.Join(", ", provisioning)));
            }

            var check = provisioning.ToList();
            if (!string.IsNullOrEmpty(sending))
            {
                parts.Add("The creation of " + sending + " was being sent when you stopped: it may exist too.");
                if (sending!.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    check.Add(sending);
                }
            }

            // Last, so that it can be copied and run as it is.
            if (check.Count > 0)
            {
                parts.Add("Check " + (check.Count == 1 ? "it" : "them") + " with: Get-M365SpoSite -Url " + string.Join(", ", check.Select(u => "'" + u.Replace("'", "''") + "'")));
            }

            return parts.Count == 0 ? null : string.Join(" ", parts);
        }

        private static string Elapsed(TimeSpan elapsed)
        {
            var whole = TimeSpan.FromSeconds(Math.Floor(Math.Max(0, elapsed.TotalSeconds)));
            return whole.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0} min {1:00} s", (int)whole.TotalMinutes, whole.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0} s", whole.Seconds);
        }
    }
}
