namespace M365.Sandbox.Graph.Users;

/// <summary>
/// Parses <c>$select</c> against the user properties the sandbox knows. Without it a user shows Graph's default set
/// (the one /me prints); accountEnabled and userType appear only when selected, as in Graph.
/// </summary>
internal static class UserSelect
{
    public static readonly string[] DefaultProperties =
    {
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id",
    };

    private static readonly string[] SelectableProperties = DefaultProperties.Concat(new[] { "accountEnabled", "userType" }).ToArray();

    /// <summary>
    /// Returns the properties to print and the canonical list for <c>@odata.context</c> (null without $select), or an
    /// error message naming the first unknown property.
    /// </summary>
    public static (string[] Properties, string? ContextList, string? Error) Parse(string? select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return (DefaultProperties, null, null);
        }

        var names = new List<string>();
        foreach (var raw in select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = Array.Find(SelectableProperties, p => string.Equals(p, raw, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return (Array.Empty<string>(), null, $"Could not find a property named '{raw}' on type 'microsoft.graph.user'.");
            }

            if (!names.Contains(known))
            {
                names.Add(known);
            }
        }

        return names.Count == 0 ? (DefaultProperties, null, null) : (names.ToArray(), string.Join(',', names), null);
    }
}
