using System.Text;
using System.Text.Json;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>One page of a servicePrincipals listing: which positions it holds and the links around it.</summary>
internal sealed class ServicePrincipalPage
{
    private readonly IReadOnlyList<int>? _matches;

    private ServicePrincipalPage(ServicePrincipalCatalog catalog, IReadOnlyList<int>? matches, int start, int end, ServicePrincipalFields fields, string contextUrl, string? nextLink, int? count)
    {
        Catalog = catalog;
        _matches = matches;
        Start = start;
        End = end;
        Fields = fields;
        ContextUrl = contextUrl;
        NextLink = nextLink;
        Count = count;
    }

    public ServicePrincipalCatalog Catalog { get; }

    public int Start { get; }

    public int End { get; }

    public ServicePrincipalFields Fields { get; }

    public string ContextUrl { get; }

    public string? NextLink { get; }

    public int? Count { get; }

    /// <summary>Writes the expanded navigation properties into an item's object ($expand), or null for none.</summary>
    public Action<Utf8JsonWriter, ServicePrincipal>? Expand { get; set; }

    public ServicePrincipal ItemAt(int resultIndex) => Catalog[_matches is null ? resultIndex : _matches[resultIndex]];

    /// <param name="version">"v1.0" or "beta".</param>
    /// <param name="rawQuery">The request's query options, kept in the next link except the skip token.</param>
    public static ServicePrincipalPage Create(ServicePrincipalCatalog catalog, ServicePrincipalListQuery query, string version, IEnumerable<KeyValuePair<string, string>> rawQuery)
    {
        IReadOnlyList<int>? matches = query.Filter switch
        {
            null => null,
            { Property: ServicePrincipalFilter.AppIdProperty } f => Guid.TryParse(f.Value, out var appId) ? catalog.FindByAppId(appId) : Array.Empty<int>(),
            { Property: ServicePrincipalFilter.DisplayNameProperty } f => catalog.FindByDisplayName(f.Value!),
            { } f => catalog.FindAll(f.Matches),
        };
        matches = query.Advanced.Apply(catalog, matches);
        var total = matches?.Count ?? catalog.Count;
        var start = Math.Min(query.Position, total);
        var end = (int)Math.Min((long)start + query.Top, total);
        var contextUrl = $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#servicePrincipals" + (query.SelectList is null ? string.Empty : $"({query.SelectList})");
        var nextLink = end < total ? NextLinkFor(version, rawQuery, end) : null;
        return new ServicePrincipalPage(catalog, matches, start, end, query.Fields, contextUrl, nextLink, query.Count ? total : null);
    }

    private static string NextLinkFor(string version, IEnumerable<KeyValuePair<string, string>> rawQuery, int next)
    {
        var link = new StringBuilder($"https://{Hosting.SandboxHostNames.Graph}/{version}/servicePrincipals?");
        foreach (var (key, value) in rawQuery)
        {
            if (!string.Equals(key, "$skiptoken", StringComparison.OrdinalIgnoreCase))
            {
                link.Append(Uri.EscapeDataString(key).Replace("%24", "$", StringComparison.Ordinal)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
            }
        }

        return link.Append("$skiptoken=").Append(SkipToken.Encode(next)).ToString();
    }
}
