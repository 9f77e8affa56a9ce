using System;
using System.Collections.Generic;
using System.Linq;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Graph's query options for a service principal listing, as Get-MgServicePrincipal has them: how many to read, a search, an
    /// order, the navigation properties to expand, and whether to count. <see cref="NeedsEventualConsistency"/> says when the
    /// request needs <c>ConsistencyLevel: eventual</c> (an advanced query on directory objects).
    /// </summary>
    public sealed class ServicePrincipalQuery
    {
        /// <summary>The most service principals to read, or null for all. Only min(Top, 999) are asked for per page, and paging stops at Top.</summary>
        public int? Top { get; set; }

        /// <summary>A search: a term (searched in displayName), or Graph's own <c>property:term</c>; null for none.</summary>
        public string? Search { get; set; }

        /// <summary>The <c>$orderby</c> terms, e.g. <c>displayName desc</c>; empty for Graph's order.</summary>
        public IReadOnlyList<string> Sort { get; set; } = Array.Empty<string>();

        /// <summary>The navigation properties to <c>$expand</c>, e.g. <c>appRoleAssignedTo</c>.</summary>
        public IReadOnlyList<string> Expand { get; set; } = Array.Empty<string>();

        /// <summary>Whether to ask Graph for the total count (<c>$count=true</c>); the first page's <c>@odata.count</c> goes to the listing's count callback.</summary>
        public bool Count { get; set; }

        /// <summary>True when an option needs <c>ConsistencyLevel: eventual</c>: a search, a count, or an order with a filter or search.</summary>
        /// <param name="hasFilter">Whether the listing has a <c>$filter</c>.</param>
        public bool NeedsEventualConsistency(bool hasFilter) => Search != null || Count || (Sort.Count > 0 && (hasFilter || Search != null));

        /// <summary>Whether Graph needs <c>$count=true</c> as well: a count, or an order with a filter or search (an advanced query).</summary>
        internal bool SendsCount(bool hasFilter) => Count || (Sort.Count > 0 && (hasFilter || Search != null));

        /// <summary>The query string options after $top and $select: <c>&amp;$search=…&amp;$orderby=…&amp;$expand=…&amp;$count=true</c>.</summary>
        /// <exception cref="M365Exception"><see cref="Http.HttpErrorIds.BadRequest"/>: a sort or expand term that is not a property name.</exception>
        internal string Options(bool hasFilter)
        {
            string text = string.Empty;
            if (Search != null)
            {
                text += "&$search=" + Uri.EscapeDataString(SearchClause(Search));
            }

            if (Sort.Count > 0)
            {
                text += "&$orderby=" + Uri.EscapeDataString(string.Join(",", Sort.Select(CheckedSort)));
            }

            if (Expand.Count > 0)
            {
                text += "&$expand=" + Uri.EscapeDataString(string.Join(",", Expand.Select(e => Checked(e.Trim(), e))));
            }

            return SendsCount(hasFilter) ? text + "&$count=true" : text;
        }

        /// <summary>Graph's <c>"property:term"</c>: a bare term searches displayName; double quotes and backslashes in it are escaped.</summary>
        /// <param name="search">The term, or <c>property:term</c>.</param>
        public static string SearchClause(string search)
        {
            string text = (search ?? throw new ArgumentNullException(nameof(search))).Trim();
            if (text.Length > 1 && text[0] == '"' && text[text.Length - 1] == '"')
            {
                return text;
            }

            int colon = text.IndexOf(':');
            bool named = colon > 0 && text.Substring(0, colon).All(char.IsLetterOrDigit);
            string property = named ? text.Substring(0, colon) : "displayName";
            string term = named ? text.Substring(colon + 1) : text;
            return "\"" + property + ":" + term.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        private static string CheckedSort(string term)
        {
            string[] parts = term.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            bool direction = parts.Length == 2 && (parts[1].Equals("asc", StringComparison.OrdinalIgnoreCase) || parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase));
            return parts.Length == 1 || direction ? Checked(parts[0], term) + (direction ? " " + parts[1].ToLowerInvariant() : string.Empty) : Checked(term, term);
        }

        private static string Checked(string name, string input)
        {
            if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '/'))
            {
                throw new M365Exception(
                    Http.HttpErrorIds.BadRequest,
                    $"'{input}' is not a property name (with asc or desc, for a sort).",
                    "Give property names such as displayName, or 'displayName desc' for a sort; nothing was sent.",
                    input);
            }

            return name;
        }
    }
}
