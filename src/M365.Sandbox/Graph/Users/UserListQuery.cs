using System.Globalization;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.Extensions.Primitives;

namespace M365.Sandbox.Graph.Users;

/// <summary>The OData options of a users listing, checked as Graph checks them.</summary>
internal sealed record UserListQuery(string? UserPrincipalName, string[] Properties, string? SelectList, int Top, int Position)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    private static readonly string[] UnsupportedOptions = { "$orderby", "$search", "$expand", "$skip", "$count" };

    /// <summary>Parses the query; on failure returns null and the Graph error code and message for a 400.</summary>
    public static UserListQuery? Parse(IQueryCollection query, out string? errorCode, out string? errorMessage)
    {
        errorCode = GraphError.BadRequest;
        foreach (var option in UnsupportedOptions)
        {
            if (query.ContainsKey(option))
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"The query option '{option}' is not supported on users by this sandbox tenant.";
                return null;
            }
        }

        string? upn = null;
        if (TryGet(query, "$filter", out var filterText))
        {
            upn = UserFilter.ParseUserPrincipalName(filterText, out errorCode, out errorMessage);
            if (upn is null)
            {
                return null;
            }
        }

        var (properties, selectList, selectError) = UserSelect.Parse(query["$select"].ToString());
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

        // A handful of seeded users rarely fills a page, but a small $top must not silently drop the rest.
        var position = 0;
        if (TryGet(query, "$skiptoken", out var token) && !SkipToken.TryDecode(token, out position))
        {
            errorCode = GraphError.BadRequest;
            errorMessage = "The $skiptoken is invalid: pass the @odata.nextLink of the previous page unchanged.";
            return null;
        }

        errorCode = null;
        errorMessage = null;
        return new UserListQuery(upn, properties, selectList, top, position);
    }

    private static bool TryGet(IQueryCollection query, string name, out string value)
    {
        value = query.TryGetValue(name, out StringValues values) ? values.ToString() : string.Empty;
        return value.Length > 0;
    }
}
