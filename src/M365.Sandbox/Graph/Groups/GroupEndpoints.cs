using System.Globalization;
using System.Text.Json;

namespace M365.Sandbox.Graph.Groups;

/// <summary>GET /{version}/groups and /{version}/groups/{id}, POST /{version}/groups, which creates one as Graph does, and DELETE /{version}/groups/{id}.</summary>
internal static class GroupEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapGet($"/{version}/groups", (HttpContext context) => ListAsync(context, version));
        graph.MapGet($"/{version}/groups/{{id}}", (HttpContext context, string id) => GetAsync(context, version, id));
        graph.MapPost($"/{version}/groups", (HttpContext context) => CreateAsync(context, version));
        graph.MapDelete($"/{version}/groups/{{id}}", DeleteAsync);
    }

    /// <summary>DELETE /groups/{id}: 204, and a Microsoft 365 group's site goes to SharePoint's recycle bin with it.</summary>
    private static async Task DeleteAsync(HttpContext context, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.CreateGroups) is null)
        {
            return;
        }

        if (!Guid.TryParse(id, out var groupId) || !SharePoint.TenantAdminEndpoints.DeleteGroup(context.RequestServices, groupId))
        {
            var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
            await GraphError.WriteAsync(context, StatusCodes.Status404NotFound, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", clock);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task CreateAsync(HttpContext context, string version)
    {
        var caller = await context.AuthorizeAsync(GraphPermissions.CreateGroups);
        if (caller is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        var (request, error) = await GroupCreationRequest.ReadAsync(context);
        if (request is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, error!.Value.Code, error.Value.Message, clock);
            return;
        }

        var owners = caller.IsAppOnly || caller.Upn is null ? Array.Empty<string>() : new[] { caller.Upn };
        if (!context.RequestServices.GetRequiredService<GroupStore>().TryCreate(
                request.DisplayName, request.MailNickname, request.IsPublic, request.Description ?? string.Empty, string.Empty, owners,
                request.IsUnified, request.MailEnabled, request.SecurityEnabled, out var group))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest",
                "Another object with the same value for property mailNickname already exists.", clock);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"https://{Hosting.SandboxHostNames.Graph}/v2/{context.RequestServices.GetRequiredService<TenantProfile>().TenantId}/directoryObjects/{group.Id}/Microsoft.DirectoryServices.Group";
        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#groups/$entity");
        WriteProperties(writer, group);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task ListAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadGroups) is null)
        {
            return;
        }

        var groups = context.RequestServices.GetRequiredService<GroupStore>().List();
        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#groups");
        writer.WriteStartArray("value");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            WriteProperties(writer, group);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadGroups) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        if (!Guid.TryParse(id, out var groupId))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest", $"Invalid object identifier '{id}'.", clock);
            return;
        }

        if (!context.RequestServices.GetRequiredService<GroupStore>().TryGet(groupId, out var group))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", clock);
            return;
        }

        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#groups/$entity");
        WriteProperties(writer, group);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static void WriteProperties(Utf8JsonWriter writer, GraphGroup group)
    {
        writer.WriteString("id", group.Id);
        writer.WriteNull("deletedDateTime");
        writer.WriteString("classification", group.Classification.Length == 0 ? null : group.Classification);
        writer.WriteString("createdDateTime", group.CreatedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteString("description", group.Description);
        writer.WriteString("displayName", group.DisplayName);
        writer.WriteStartArray("groupTypes");
        if (group.IsUnified)
        {
            writer.WriteStringValue("Unified");
        }

        writer.WriteEndArray();
        writer.WriteString("mail", group.MailEnabled ? group.Mail : null);
        writer.WriteBoolean("mailEnabled", group.MailEnabled);
        writer.WriteString("mailNickname", group.MailNickname);
        writer.WriteBoolean("securityEnabled", group.SecurityEnabled);
        writer.WriteString("visibility", group.IsUnified ? (group.IsPublic ? "Public" : "Private") : null);
        writer.WriteStartArray("resourceProvisioningOptions");
        writer.WriteEndArray();
    }
}
