using System;
using System.Collections.Generic;
using System.Linq;

namespace M365.Core.Registration
{
    /// <summary>The names nearest to a misspelt one (edit distance, ignoring case), for "did you mean" in an error.</summary>
    internal static class ClosestNames
    {
        public static IReadOnlyList<string> Find(string wanted, IEnumerable<string> names, int count = 3) =>
            names.Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n => (Name: n, Distance: Distance(wanted.ToUpperInvariant(), n.ToUpperInvariant())))
                .OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal)
                .Take(count).Select(p => p.Name).ToList();

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
