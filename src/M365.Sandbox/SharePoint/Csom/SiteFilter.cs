using System.Text.RegularExpressions;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// The filter grammar of GetSitePropertiesFromSharePointByFilters (Get-SPOSite -Filter, m365 spo site list --filter):
/// <c>Property -op 'value'</c> terms (-eq, -ne, -like, -notlike; -like is "contains", case-insensitive) joined by -and
/// and -or (-and binds tighter). Properties: Url, Title, Template, Owner, LockState, Status, GroupId, HubSiteId.
/// </summary>
internal static partial class SiteFilter
{
    private static readonly string[] Properties = { "Url", "Title", "Template", "Owner", "LockState", "Status", "GroupId", "HubSiteId" };

    public static Func<IReadOnlyList<KeyValuePair<string, object?>>, bool>? Parse(string filter, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var alternatives = new List<List<Func<IReadOnlyList<KeyValuePair<string, object?>>, bool>>> { new() };
        var rest = filter.Trim();
        while (true)
        {
            var term = Term().Match(rest);
            if (!term.Success)
            {
                error = $"The filter '{filter}' is not valid: expected Property -eq|-ne|-like|-notlike 'value' at '{rest}'.";
                return null;
            }

            var property = Properties.FirstOrDefault(p => p.Equals(term.Groups["p"].Value, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                error = $"The filter '{filter}' is not valid: the property '{term.Groups["p"].Value}' cannot be filtered on. Use one of {string.Join(", ", Properties)}.";
                return null;
            }

            var value = term.Groups["v"].Success ? term.Groups["v"].Value : term.Groups["w"].Value;
            alternatives[^1].Add(Compare(property, term.Groups["op"].Value.ToLowerInvariant(), value));
            rest = rest[term.Length..].TrimStart();
            if (rest.Length == 0)
            {
                break;
            }

            var join = Join().Match(rest);
            if (!join.Success)
            {
                error = $"The filter '{filter}' is not valid: expected -and or -or at '{rest}'.";
                return null;
            }

            if (join.Groups[1].Value.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                alternatives.Add(new());
            }

            rest = rest[join.Length..];
        }

        return properties => alternatives.Any(all => all.All(test => test(properties)));
    }

    private static Func<IReadOnlyList<KeyValuePair<string, object?>>, bool> Compare(string property, string op, string value)
    {
        var wanted = Unwrap(value).Trim('*');
        return properties =>
        {
            var actual = Unwrap(properties.FirstOrDefault(p => p.Key == property).Value?.ToString() ?? string.Empty);
            return op switch
            {
                "eq" => actual.Equals(Unwrap(value), StringComparison.OrdinalIgnoreCase),
                "ne" => !actual.Equals(Unwrap(value), StringComparison.OrdinalIgnoreCase),
                "like" => actual.Contains(wanted, StringComparison.OrdinalIgnoreCase),
                _ => !actual.Contains(wanted, StringComparison.OrdinalIgnoreCase),
            };
        };
    }

    private static string Unwrap(string value) =>
        value.StartsWith("/Guid(", StringComparison.Ordinal) && value.EndsWith(")/", StringComparison.Ordinal) ? value[6..^2] : value;

    [GeneratedRegex(@"^(?<p>[A-Za-z]+)\s+-(?<op>eq|ne|like|notlike)\s+(?:'(?<v>[^']*)'|""(?<v>[^""]*)""|(?<w>[^\s']+))", RegexOptions.IgnoreCase)]
    private static partial Regex Term();

    [GeneratedRegex(@"^-(and|or)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Join();
}
