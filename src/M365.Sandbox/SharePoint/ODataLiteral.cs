namespace M365.Sandbox.SharePoint;

/// <summary>OData string literals in SharePoint URLs: 'text' with '' standing for a quote.</summary>
internal static class ODataLiteral
{
    /// <summary>The text inside the quotes, or null when the value is empty or not a quoted literal.</summary>
    public static string? Unquote(string value)
    {
        value = value.Trim();
        if (value.Length < 2 || value[0] != '\'' || value[^1] != '\'')
        {
            return null;
        }

        var inner = value[1..^1];
        return inner.Length == 0 ? null : inner.Replace("''", "'", StringComparison.Ordinal);
    }
}
