using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>The OData options of a servicePrincipals listing, checked as Graph checks them.</summary>
internal sealed record ServicePrincipalListQuery(
    ServicePrincipalFilter? Filter,
    ServicePrincipalFields Fields,
    string? SelectList,
    int Top,
    int Position,
    bool Count)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    private static readonly string[] UnsupportedOptions = { "$orderby", "$search", "$expand", "$skip" };

    /// <summary>Parses the query; on failure returns null and the Graph error code and message for a 400.</summary>
    public static ServicePrincipalListQuery? Parse(IQueryCollection query, IHeaderDictionary headers, bool beta, out string? errorCode, out string? errorMessage)
    {
        errorCode = GraphError.BadRequest;
        foreach (var option in UnsupportedOptions)
        {
            if (query.ContainsKey(option))
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"The query option '{option}' is not supported on servicePrincipals by this sandbox tenant.";
                return null;
            }
        }

        ServicePrincipalFilter? filter = null;
        if (TryGet(query, "$filter", out var filterText))
        {
            filter = ServicePrincipalFilter.Parse(filterText, out errorCode, out errorMessage);
            if (filter is null)
            {
                return null;
            }
        }

        var (fields, selectList, selectError) = ServicePrincipalSelect.Parse(Get(query, "$select"), beta);
        if (selectError is not null)
        {
            errorCode = GraphError.BadRequest;
            errorMessage = selectError;
            return null;
        }

        var top = DefaultPageSize;
        if (TryGet(query, "$top", out var topText))
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top))
            {
                errorCode = GraphError.BadRequest;
                errorMessage = $"Invalid value '{topText}' for query option '$top': it must be an integer.";
                return null;
            }

            if (top is < 1 or > MaxPageSize)
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"Invalid page size specified: '{top}'. Must be between 1 and {MaxPageSize} inclusive.";
                return null;
            }
        }

        var position = 0;
        if (TryGet(query, "$skiptoken", out var token) && !SkipToken.TryDecode(token, out position))
        {
            errorCode = GraphError.BadRequest;
            errorMessage = "The $skiptoken is invalid: pass the @odata.nextLink of the previous page unchanged.";
            return null;
        }

        var count = false;
        if (TryGet(query, "$count", out var countText))
        {
            if (!bool.TryParse(countText, out count))
            {
                errorCode = GraphError.BadRequest;
                errorMessage = $"Invalid value '{countText}' for query option '$count': it must be true or false.";
                return null;
            }

            if (count && !string.Equals(headers["ConsistencyLevel"].ToString(), "eventual", StringComparison.OrdinalIgnoreCase))
            {
                errorCode = GraphError.BadRequest;
                errorMessage = "$count is only supported with the ConsistencyLevel:eventual header on directory objects.";
                return null;
            }
        }

        errorCode = null;
        errorMessage = null;
        return new ServicePrincipalListQuery(filter, fields, selectList, top, position, count);
    }

    private static string? Get(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static bool TryGet(IQueryCollection query, string name, out string value)
    {
        value = query.TryGetValue(name, out StringValues values) ? values.ToString() : string.Empty;
        return value.Length > 0;
    }
}
