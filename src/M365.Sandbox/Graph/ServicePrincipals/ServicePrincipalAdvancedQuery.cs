using System.Text.RegularExpressions;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// $search and $orderby on servicePrincipals, with the rules Graph documents for directory objects: $search needs the
/// ConsistencyLevel: eventual header; $orderby=displayName works alone, but with $filter or $search it needs that header
/// and $count=true ("Sorting not supported for current query" otherwise). $search matches words of the display name
/// that start with the term, ignoring case, as Graph's tokenized search does.
/// </summary>
internal sealed partial record ServicePrincipalAdvancedQuery(string? SearchTerm, bool OrderByDisplayName, bool Descending)
{
    public static readonly ServicePrincipalAdvancedQuery None = new(null, false, false);

    public bool IsEmpty => SearchTerm is null && !OrderByDisplayName;

    public static ServicePrincipalAdvancedQuery? Parse(IQueryCollection query, IHeaderDictionary headers, bool count, bool hasFilter, out string? errorCode, out string? errorMessage)
    {
        errorCode = GraphError.UnsupportedQuery;
        var eventual = string.Equals(headers["ConsistencyLevel"].ToString(), "eventual", StringComparison.OrdinalIgnoreCase);
        string? term = null;
        if (GraphQueryOptions.TryGet(query, "$search", out var search))
        {
            if (!eventual)
            {
                errorMessage = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";
                return null;
            }

            var match = SearchPattern().Match(search);
            if (!match.Success)
            {
                errorCode = GraphError.BadRequest;
                errorMessage = $"Invalid $search value '{search}': this sandbox searches one property, as \"displayName:term\" (in double quotes).";
                return null;
            }

            term = match.Groups["term"].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        bool orderBy = false, descending = false;
        if (GraphQueryOptions.TryGet(query, "$orderby", out var order))
        {
            var parts = order.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!string.Equals(parts[0], "displayName", StringComparison.OrdinalIgnoreCase) || parts.Length > 2
                || (parts.Length == 2 && !parts[1].Equals("asc", StringComparison.OrdinalIgnoreCase) && !parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase)))
            {
                errorMessage = $"Unsupported sort property or direction in '{order}': this sandbox sorts service principals by displayName [asc|desc] only.";
                return null;
            }

            if ((hasFilter || term is not null) && !(eventual && count))
            {
                errorMessage = "Sorting not supported for current query.";
                return null;
            }

            orderBy = true;
            descending = parts.Length == 2 && parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
        }

        errorCode = null;
        errorMessage = null;
        return term is null && !orderBy ? None : new ServicePrincipalAdvancedQuery(term, orderBy, descending);
    }

    /// <summary>Applies the search and the order to the positions a filter left (null: every position).</summary>
    public IReadOnlyList<int>? Apply(ServicePrincipalCatalog catalog, IReadOnlyList<int>? matches)
    {
        if (IsEmpty)
        {
            return matches;
        }

        IEnumerable<int> positions = matches ?? Enumerable.Range(0, catalog.Count);
        if (SearchTerm is { } term)
        {
            positions = positions.Where(p => Words().Split(catalog[p].DisplayName).Any(w => w.StartsWith(term, StringComparison.OrdinalIgnoreCase)));
        }

        if (OrderByDisplayName)
        {
            positions = Descending
                ? positions.OrderByDescending(p => catalog[p].DisplayName, StringComparer.OrdinalIgnoreCase)
                : positions.OrderBy(p => catalog[p].DisplayName, StringComparer.OrdinalIgnoreCase);
        }

        return positions.ToList();
    }

    [GeneratedRegex("^\"displayName:(?<term>(?:[^\"\\\\]|\\\\.)+)\"$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchPattern();

    [GeneratedRegex(@"[\s\-_.,()/]+")]
    private static partial Regex Words();
}
