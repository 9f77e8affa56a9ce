using System.Text.RegularExpressions;

namespace M365.Sandbox.Graph.Users;

/// <summary>
/// The one <c>$filter</c> clause the sandbox supports on users: <c>userPrincipalName eq '…'</c>, with OData's
/// doubled-quote escaping. Anything else is refused as Graph refuses it.
/// </summary>
internal static partial class UserFilter
{
    /// <summary>Parses a clause into the UPN it asks for; on failure returns null with Graph's error code and message.</summary>
    public static string? ParseUserPrincipalName(string filter, out string? errorCode, out string? errorMessage)
    {
        errorCode = null;
        errorMessage = null;
        var match = Clause().Match(filter);
        if (!match.Success)
        {
            errorCode = GraphError.BadRequest;
            errorMessage = $"Invalid filter clause: the sandbox supports only \"userPrincipalName eq '…'\" on users, got \"{filter}\".";
            return null;
        }

        var property = match.Groups["property"].Value;
        if (!string.Equals(property, "userPrincipalName", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(match.Groups["op"].Value, "eq", StringComparison.OrdinalIgnoreCase))
        {
            errorCode = GraphError.UnsupportedQuery;
            errorMessage = $"Unsupported or invalid query filter clause specified for property '{property}' of resource 'User'.";
            return null;
        }

        return match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z][A-Za-z0-9_]*)\s+(?<op>[A-Za-z]+)\s+'(?<value>(?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Clause();
}
