namespace M365.Sandbox.Graph.Users;

/// <summary>The OData options of a users listing, checked as Graph checks them.</summary>
internal sealed record UserListQuery(string? UserPrincipalName, string[] Properties, string? SelectList, int Top, int Position)
{
    private static readonly string[] UnsupportedOptions = { "$orderby", "$search", "$expand", "$skip", "$count" };

    /// <summary>Parses the query; on failure returns null and the Graph error code and message for a 400.</summary>
    public static UserListQuery? Parse(IQueryCollection query, out string? errorCode, out string? errorMessage)
    {
        if (GraphQueryOptions.TryRejectUnsupported(query, UnsupportedOptions, "users", out errorCode, out errorMessage))
        {
            return null;
        }

        string? upn = null;
        if (GraphQueryOptions.TryGet(query, "$filter", out var filterText))
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

        // A handful of seeded users rarely fills a page, but a small $top must not silently drop the rest.
        if (!GraphQueryOptions.TryParsePaging(query, out var top, out var position, out errorCode, out errorMessage))
        {
            return null;
        }

        errorCode = null;
        errorMessage = null;
        return new UserListQuery(upn, properties, selectList, top, position);
    }
}
