using System.Text.RegularExpressions;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The <c>$filter</c> clauses the sandbox supports on servicePrincipals: <c>appId eq '…'</c> and
/// <c>displayName eq '…'</c>, with OData's doubled-quote escaping. Anything else is refused as Graph refuses it.
/// </summary>
internal sealed partial record ServicePrincipalFilter(string Property, string Value)
{
    public const string AppIdProperty = "appId";
    public const string DisplayNameProperty = "displayName";

    /// <summary>Parses a clause; on failure returns null with Graph's error code and message.</summary>
    public static ServicePrincipalFilter? Parse(string filter, out string? errorCode, out string? errorMessage)
    {
        errorCode = null;
        errorMessage = null;
        var match = Clause().Match(filter);
        if (!match.Success)
        {
            errorCode = GraphError.BadRequest;
            errorMessage = $"Invalid filter clause: the sandbox supports only \"appId eq '…'\" and \"displayName eq '…'\", got \"{filter}\".";
            return null;
        }

        var property = match.Groups["property"].Value;
        var op = match.Groups["op"].Value;
        string? canonical = string.Equals(property, AppIdProperty, StringComparison.OrdinalIgnoreCase) ? AppIdProperty
            : string.Equals(property, DisplayNameProperty, StringComparison.OrdinalIgnoreCase) ? DisplayNameProperty
            : null;
        if (canonical is null || !string.Equals(op, "eq", StringComparison.OrdinalIgnoreCase))
        {
            errorCode = GraphError.UnsupportedQuery;
            errorMessage = $"Unsupported or invalid query filter clause specified for property '{property}' of resource 'ServicePrincipal'.";
            return null;
        }

        return new ServicePrincipalFilter(canonical, match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z][A-Za-z0-9_]*)\s+(?<op>[A-Za-z]+)\s+'(?<value>(?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Clause();
}
