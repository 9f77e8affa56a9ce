using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// POST /{version}/servicePrincipals <c>{"appId": …}</c> creates the service principal of an app registered in the
/// tenant; DELETE /{version}/servicePrincipals/{id} removes one created that way, with the consents it gives and holds.
/// Microsoft's and the seed's principals cannot be deleted (403), as first-party ones cannot in Entra ID.
/// </summary>
internal static class ServicePrincipalWriteEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapPost($"/{version}/servicePrincipals", (HttpContext context) => CreateAsync(context, version));
        graph.MapDelete($"/{version}/servicePrincipals/{{id}}", (HttpContext context, string id) => DeleteAsync(context, id));
    }

    private static async Task CreateAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteServicePrincipals) is not { } caller)
        {
            return;
        }

        var appId = await ReadAppIdAsync(context);
        if (appId is null)
        {
            await DirectoryWrites.BadRequestAsync(context, "Invalid value specified for property 'appId' of resource 'ServicePrincipal'.");
            return;
        }

        var services = context.RequestServices;
        var app = services.GetRequiredService<ApplicationStore>().FindByAppId(appId.Value);
        if (app is null)
        {
            await DirectoryWrites.BadRequestAsync(context, $"The appId '{appId}' of the service principal does not reference a valid application object.");
            return;
        }

        if (!await DirectoryWrites.AllowAsync(context, caller, user => app.OwnerId == user.Id))
        {
            return;
        }

        var profile = services.GetRequiredService<TenantProfile>();
        var sp = new ServicePrincipal(
            Guid.NewGuid(), app.AppId, app.DisplayName, app.DisplayName, AccountEnabled: true, profile.TenantId,
            app.IdentifierUris.Prepend(app.AppId.ToString()).ToArray(), Array.Empty<string>(), app.SignInAudience,
            Array.Empty<AppRoleDefinition>(), Array.Empty<PermissionScopeDefinition>(), profile.TimeProvider.GetUtcNow());
        var catalog = services.GetRequiredService<ServicePrincipalCatalog>();
        if (!catalog.TryAdd(sp))
        {
            await DirectoryWrites.ConflictAsync(context, "Another object with the same value for property servicePrincipalNames already exists.");
            return;
        }

        services.GetRequiredService<ApplicationStore>().Update(app.Id, current => current with { ServicePrincipalId = sp.Id });
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        context.Response.Headers.Location = $"https://{Hosting.SandboxHostNames.Graph}/v2/{profile.TenantId}/directoryObjects/{sp.Id}/Microsoft.DirectoryServices.ServicePrincipal";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#servicePrincipals/$entity");
        ServicePrincipalJsonWriter.WriteProperties(writer, sp, ServicePrincipalSelect.Parse(null, version == "beta").Fields);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task DeleteAsync(HttpContext context, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteServicePrincipals) is not { } caller)
        {
            return;
        }

        var services = context.RequestServices;
        var catalog = services.GetRequiredService<ServicePrincipalCatalog>();
        if (!Guid.TryParse(id, out var objectId))
        {
            await DirectoryWrites.BadRequestAsync(context, $"Invalid object identifier '{id}'.");
            return;
        }

        if (catalog.FindById(objectId) is not { } sp)
        {
            await DirectoryWrites.NotFoundAsync(context, id);
            return;
        }

        var store = services.GetRequiredService<ApplicationStore>();
        var app = store.FindByAppId(sp.AppId);
        if (!catalog.IsAdded(objectId))
        {
            await DirectoryWrites.DenyAsync(context);
            return;
        }

        if (!await DirectoryWrites.AllowAsync(context, caller, user => app?.OwnerId == user.Id) || !catalog.TryRemove(objectId))
        {
            return;
        }

        services.GetRequiredService<PermissionGrantStore>().RemoveServicePrincipal(objectId);
        if (app is not null)
        {
            store.Update(app.Id, current => current with { ServicePrincipalId = null });
        }

        DirectoryWrites.NoContent(context);
    }

    private static async Task<Guid?> ReadAppIdAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("appId", out var appId)
                && appId.ValueKind == JsonValueKind.String && Guid.TryParse(appId.GetString(), out var parsed)
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
