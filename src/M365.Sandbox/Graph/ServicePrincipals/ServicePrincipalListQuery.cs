namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>The OData options of a servicePrincipals listing, checked as Graph checks them.</summary>
internal sealed record ServicePrincipalListQuery(
    ServicePrincipalFilter? Filter,
    ServicePrincipalFields Fields,
    string? SelectList,
    int Top,
    int Position,
    bool Count,
    ServicePrincipalAdvancedQuery Advanced,
    bool ExpandAssignedTo)
{
    private static readonly string[] UnsupportedOptions = { "$skip" };

    /// <summary>Parses the query; on failure returns null and the Graph error code and message for a 400.</summary>
    public static ServicePrincipalListQuery? Parse(IQueryCollection query, IHeaderDictionary headers, bool beta, out string? errorCode, out string? errorMessage)
    {
        if (GraphQueryOptions.TryRejectUnsupported(query, UnsupportedOptions, "servicePrincipals", out errorCode, out errorMessage))
        {
            return null;
        }

        ServicePrincipalFilter? filter = null;
        if (GraphQueryOptions.TryGet(query, "$filter", out var filterText))
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

        if (!GraphQueryOptions.TryParsePaging(query, out var top, out var position, out errorCode, out errorMessage))
        {
            return null;
        }

        var count = false;
        if (GraphQueryOptions.TryGet(query, "$count", out var countText))
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

        var advanced = ServicePrincipalAdvancedQuery.Parse(query, headers, count, filter is not null, out errorCode, out errorMessage);
        if (advanced is null)
        {
            return null;
        }

        var expand = false;
        if (GraphQueryOptions.TryGet(query, "$expand", out var expandText))
        {
            if (!string.Equals(expandText.Trim(), "appRoleAssignedTo", StringComparison.OrdinalIgnoreCase))
            {
                errorCode = GraphError.UnsupportedQuery;
                errorMessage = $"The $expand '{expandText}' is not supported on servicePrincipals by this sandbox tenant: it expands appRoleAssignedTo only.";
                return null;
            }

            expand = true;
        }

        return new ServicePrincipalListQuery(filter, fields, selectList, top, position, count, advanced, expand);
    }

    private static string? Get(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) ? value.ToString() : null;
}
