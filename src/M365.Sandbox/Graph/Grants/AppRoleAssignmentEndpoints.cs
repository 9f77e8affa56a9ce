using System.Globalization;
using System.Text.Json;
using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph.Grants;

/// <summary>
/// App roles (application permissions) granted to a service principal: /{version}/servicePrincipals/{id}/appRoleAssignments
/// (those it holds; POST grants one) and /appRoleAssignedTo (those granted on it as the resource; POST too), each with
/// /{assignmentId} DELETE. Granting is an administrator's act: a member gets 403.
/// </summary>
internal static class AppRoleAssignmentEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        foreach (var (segment, asPrincipal) in new[] { ("appRoleAssignments", true), ("appRoleAssignedTo", false) })
        {
            var path = $"/{version}/servicePrincipals/{{id}}/{segment}";
            graph.MapGet(path, (HttpContext context, string id) => ListAsync(context, version, id, segment, asPrincipal));
            graph.MapPost(path, (HttpContext context, string id) => CreateAsync(context, version, id, segment, asPrincipal));
            graph.MapDelete(path + "/{assignmentId}", (HttpContext context, string id, string assignmentId) => DeleteAsync(context, id, assignmentId, asPrincipal));
        }
    }

    private static PermissionGrantStore Store(HttpContext context) => context.RequestServices.GetRequiredService<PermissionGrantStore>();

    private static string ContextUrl(string version, Guid id, string segment) => $"https://{SandboxHostNames.Graph}/{version}/$metadata#servicePrincipals('{id}')/{segment}";

    /// <summary>The service principal of the URL, or null after Graph's 400/404.</summary>
    private static async Task<ServicePrincipal?> FindAsync(HttpContext context, string id)
    {
        if (!Guid.TryParse(id, out var objectId))
        {
            await DirectoryWrites.BadRequestAsync(context, $"Invalid object identifier '{id}'.");
            return null;
        }

        var sp = context.RequestServices.GetRequiredService<ServicePrincipalCatalog>().FindById(objectId);
        if (sp is null)
        {
            await DirectoryWrites.NotFoundAsync(context, id);
        }

        return sp;
    }

    /// <summary>The app role assignments granted on <paramref name="resourceId"/> ($expand=appRoleAssignedTo), as an array property.</summary>
    internal static void WriteAssignedTo(HttpContext context, Utf8JsonWriter writer, Guid resourceId)
    {
        writer.WriteStartArray("appRoleAssignedTo");
        foreach (var assignment in Store(context).Assignments().Concat(SeededConsentView.Of(context).Assignments()).Where(a => a.ResourceId == resourceId))
        {
            writer.WriteStartObject();
            Write(writer, assignment);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static async Task ListAsync(HttpContext context, string version, string id, string segment, bool asPrincipal)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadAppRoleAssignments) is null || await FindAsync(context, id) is not { } sp)
        {
            return;
        }

        await using var writer = PermissionGrantEndpoints.JsonStart(context, StatusCodes.Status200OK);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(version, sp.Id, segment));
        writer.WriteStartArray("value");
        foreach (var assignment in Store(context).Assignments().Concat(SeededConsentView.Of(context).Assignments()).Where(a => (asPrincipal ? a.PrincipalId : a.ResourceId) == sp.Id))
        {
            writer.WriteStartObject();
            Write(writer, assignment);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task CreateAsync(HttpContext context, string version, string id, string segment, bool asPrincipal)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteAppRoleAssignments) is not { } caller || await FindAsync(context, id) is not { } sp
            || !await DirectoryWrites.AllowAsync(context, caller, _ => false))
        {
            return;
        }

        using var body = await PermissionGrantEndpoints.ReadAsync(context);
        var catalog = context.RequestServices.GetRequiredService<ServicePrincipalCatalog>();
        var root = body?.RootElement;
        var principal = Guid.TryParse(PermissionGrantEndpoints.Text(root, "principalId"), out var principalId) ? catalog.FindById(principalId) : null;
        var resource = Guid.TryParse(PermissionGrantEndpoints.Text(root, "resourceId"), out var resourceId) ? catalog.FindById(resourceId) : null;
        if (principal is null || (asPrincipal && principal.Id != sp.Id))
        {
            await DirectoryWrites.BadRequestAsync(context, "Invalid value specified for property 'principalId' of resource 'AppRoleAssignment'.");
            return;
        }

        if (resource is null || (!asPrincipal && resource.Id != sp.Id))
        {
            await DirectoryWrites.BadRequestAsync(context, "Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment'.");
            return;
        }

        var role = Guid.TryParse(PermissionGrantEndpoints.Text(root, "appRoleId"), out var appRoleId) ? resource.AppRoles.FirstOrDefault(r => r.Id == appRoleId) : null;
        if (role is null)
        {
            await DirectoryWrites.BadRequestAsync(context, $"Permission being assigned was not found on application '{resource.AppId}'.");
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        var assignment = new AppRoleAssignment(
            Base64Url.Encode(principal.Id.ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()),
            principal.Id, principal.DisplayName, resource.Id, resource.DisplayName, resource.AppId, role.Id, role.Value, clock.GetUtcNow());
        if (!Store(context).TryAdd(assignment))
        {
            // Graph answers a repeated assignment with 400, not 409.
            await DirectoryWrites.BadRequestAsync(context, "Permission being assigned already exists on the object.");
            return;
        }

        await using var writer = PermissionGrantEndpoints.JsonStart(context, StatusCodes.Status201Created);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(version, sp.Id, segment) + "/$entity");
        Write(writer, assignment);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task DeleteAsync(HttpContext context, string id, string assignmentId, bool asPrincipal)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteAppRoleAssignments) is not { } caller || await FindAsync(context, id) is not { } sp)
        {
            return;
        }

        if (!Store(context).Assignments().Any(a => a.Id == assignmentId && (asPrincipal ? a.PrincipalId : a.ResourceId) == sp.Id))
        {
            var seeded = SeededConsentView.Of(context).Assignments().Any(a => a.Id == assignmentId && (asPrincipal ? a.PrincipalId : a.ResourceId) == sp.Id);
            await (seeded ? DirectoryWrites.BadRequestAsync(context, SeededConsentView.ReadOnlyMessage) : DirectoryWrites.NotFoundAsync(context, assignmentId));
            return;
        }

        if (await DirectoryWrites.AllowAsync(context, caller, _ => false) && Store(context).RemoveAssignment(assignmentId))
        {
            DirectoryWrites.NoContent(context);
        }
    }

    internal static void Write(Utf8JsonWriter writer, AppRoleAssignment assignment)
    {
        writer.WriteString("id", assignment.Id);
        writer.WriteNull("deletedDateTime");
        writer.WriteString("appRoleId", assignment.AppRoleId);
        writer.WriteString("createdDateTime", assignment.CreatedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
        writer.WriteString("principalDisplayName", assignment.PrincipalDisplayName);
        writer.WriteString("principalId", assignment.PrincipalId);
        writer.WriteString("principalType", "ServicePrincipal");
        writer.WriteString("resourceDisplayName", assignment.ResourceDisplayName);
        writer.WriteString("resourceId", assignment.ResourceId);
    }
}
