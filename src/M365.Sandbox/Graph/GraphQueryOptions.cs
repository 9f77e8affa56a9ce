using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace M365.Sandbox.Graph;

/// <summary>The OData query options every Graph collection checks the same way: unsupported options, $top, $skiptoken.</summary>
internal static class GraphQueryOptions
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    /// <summary>The first of <paramref name="unsupported"/> present in the query gives a 400 Request_UnsupportedQuery.</summary>
    public static bool TryRejectUnsupported(IQueryCollection query, string[] unsupported, string collection, out string? errorCode, out string? errorMessage)
    {
        foreach (var option in unsupported)
        {
            if (query.ContainsKey(option))
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"The query option '{option}' is not supported on {collection} by this sandbox tenant.";
                return true;
            }
        }

        errorCode = null;
        errorMessage = null;
        return false;
    }

    /// <summary>Reads $top (1..999, default 100) and $skiptoken (an opaque position); false with Graph's error otherwise.</summary>
    public static bool TryParsePaging(IQueryCollection query, out int top, out int position, out string? errorCode, out string? errorMessage)
    {
        top = DefaultPageSize;
        position = 0;
        errorCode = GraphError.BadRequest;
        if (TryGet(query, "$top", out var topText))
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top))
            {
                errorMessage = $"Invalid value '{topText}' for query option '$top': it must be an integer.";
                return false;
            }

            if (top is < 1 or > MaxPageSize)
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"Invalid page size specified: '{top}'. Must be between 1 and {MaxPageSize} inclusive.";
                return false;
            }
        }

        if (TryGet(query, "$skiptoken", out var token) && !ServicePrincipals.SkipToken.TryDecode(token, out position))
        {
            errorMessage = "The $skiptoken is invalid: pass the @odata.nextLink of the previous page unchanged.";
            return false;
        }

        errorCode = null;
        errorMessage = null;
        return true;
    }

    /// <summary>A query option's value, or false when it is absent or empty.</summary>
    public static bool TryGet(IQueryCollection query, string name, out string value)
    {
        value = query.TryGetValue(name, out StringValues values) ? values.ToString() : string.Empty;
        return value.Length > 0;
    }
}
