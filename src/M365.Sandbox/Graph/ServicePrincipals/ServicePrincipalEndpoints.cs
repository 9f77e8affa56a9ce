using System.Text.Json;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>GET /{version}/servicePrincipals, /{version}/servicePrincipals/{id} and /{version}/servicePrincipals(appId='…').</summary>
internal static class ServicePrincipalEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        var beta = version == "beta";
        graph.MapGet($"/{version}/servicePrincipals", (HttpContext context) => ListAsync(context, version, beta));
        graph.MapGet($"/{version}/servicePrincipals/{{id}}", (HttpContext context, string id) => GetAsync(context, version, beta, id, byAppId: false));
        graph.MapGet($"/{version}/servicePrincipals(appId='{{id}}')", (HttpContext context, string id) => GetAsync(context, version, beta, id, byAppId: true));
    }

    private static async Task ListAsync(HttpContext context, string version, bool beta)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadServicePrincipals) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        var query = ServicePrincipalListQuery.Parse(context.Request.Query, context.Request.Headers, beta, out var code, out var message);
        if (query is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, code!, message!, clock);
            return;
        }

        var catalog = context.RequestServices.GetRequiredService<ServicePrincipalCatalog>();
        var raw = context.Request.Query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()));
        var page = ServicePrincipalPage.Create(catalog, query, version, raw);
        if (query.ExpandAssignedTo)
        {
            page.Expand = (writer, sp) => Grants.AppRoleAssignmentEndpoints.WriteAssignedTo(context, writer, sp.Id);
        }

        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        await ServicePrincipalPageWriter.WriteAsync(context.Response.BodyWriter, page, context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, bool beta, string id, bool byAppId)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadServicePrincipals) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        if (!Guid.TryParse(id, out var objectId))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest", $"Invalid object identifier '{id}'.", clock);
            return;
        }

        var (fields, selectList, selectError) = ServicePrincipalSelect.Parse(context.Request.Query["$select"].ToString(), beta);
        if (selectError is not null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest, selectError, clock);
            return;
        }

        var catalog = context.RequestServices.GetRequiredService<ServicePrincipalCatalog>();
        IReadOnlyList<int> positions = byAppId ? catalog.FindByAppId(objectId) : catalog.TryFindById(objectId, out var atId) ? new[] { atId } : Array.Empty<int>();
        if (positions.Count == 0)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", clock);
            return;
        }

        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#servicePrincipals" + (selectList is null ? string.Empty : $"({selectList})") + "/$entity");
        ServicePrincipalJsonWriter.WriteProperties(writer, catalog[positions[0]], fields);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
