using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph.Applications;

/// <summary>
/// /{version}/applications/{id}/federatedIdentityCredentials: list and create (POST), and /{fid} (id or name) get and
/// delete. Writing needs Application.ReadWrite.All as an app role, or a delegated token of an admin or of the app's owner.
/// </summary>
internal static class FederatedIdentityCredentialEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        var path = $"/{version}/applications/{{id}}/federatedIdentityCredentials";
        graph.MapGet(path, (HttpContext context, string id) => ListAsync(context, version, id));
        graph.MapPost(path, (HttpContext context, string id) => CreateAsync(context, version, id));
        graph.MapGet(path + "/{fid}", (HttpContext context, string id, string fid) => GetAsync(context, version, id, fid));
        graph.MapDelete(path + "/{fid}", (HttpContext context, string id, string fid) => DeleteAsync(context, id, fid));
    }

    private static FederatedIdentityCredentialStore Store(HttpContext context) => context.RequestServices.GetRequiredService<FederatedIdentityCredentialStore>();

    private static TimeProvider Clock(HttpContext context) => context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;

    private static string Context(string version, Guid appId) => $"https://{SandboxHostNames.Graph}/{version}/$metadata#applications('{appId}')/federatedIdentityCredentials";

    private static async Task ListAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null || await ApplicationEndpoints.FindAsync(context, id) is not { } app)
        {
            return;
        }

        await using var writer = ApplicationEndpoints.StartJson(context);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", Context(version, app.Id));
        writer.WriteStartArray("value");
        foreach (var credential in Store(context).List(app.Id))
        {
            writer.WriteStartObject();
            ApplicationJsonWriter.WriteCredential(writer, credential);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id, string fid)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null || await ApplicationEndpoints.FindAsync(context, id) is not { } app)
        {
            return;
        }

        if (Store(context).Find(app.Id, fid) is not { } credential)
        {
            await NotFoundAsync(context, fid);
            return;
        }

        await WriteEntityAsync(context, version, app.Id, credential, StatusCodes.Status200OK);
    }

    private static async Task CreateAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteApplications) is not { } caller || await ApplicationEndpoints.FindAsync(context, id) is not { } app
            || !await DirectoryWrites.AllowAsync(context, caller, user => app.OwnerId == user.Id))
        {
            return;
        }

        var (credential, error) = await FederatedIdentityCredentialRequest.ReadAsync(context);
        if (credential is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest", error!, Clock(context));
            return;
        }

        switch (Store(context).TryAdd(app.Id, credential))
        {
            case FederatedIdentityCredentialStore.AddResult.DuplicateName:
                await GraphError.WriteAsync(context, StatusCodes.Status409Conflict, "Request_MultipleObjectsWithSameKeyValue",
                    $"FederatedIdentityCredential with name {credential.Name} already exists.", Clock(context));
                return;
            case FederatedIdentityCredentialStore.AddResult.DuplicateIssuerAndSubject:
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest",
                    $"The combination of issuer and subject must be unique for the application. Issuer {credential.Issuer} and Subject: {credential.Subject} already exist.", Clock(context));
                return;
            case FederatedIdentityCredentialStore.AddResult.LimitReached:
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest",
                    $"The application already has the maximum of {FederatedIdentityCredentialStore.MaxPerApplication} federated identity credentials. Delete one before adding another.", Clock(context));
                return;
        }

        context.Response.Headers.Location = $"https://{SandboxHostNames.Graph}/v2/{context.RequestServices.GetRequiredService<TenantProfile>().TenantId}/directoryObjects/{app.Id}/Microsoft.DirectoryServices.Application/federatedIdentityCredentials/{credential.Id}";
        await WriteEntityAsync(context, version, app.Id, credential, StatusCodes.Status201Created);
    }

    private static async Task DeleteAsync(HttpContext context, string id, string fid)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteApplications) is not { } caller || await ApplicationEndpoints.FindAsync(context, id) is not { } app
            || !await DirectoryWrites.AllowAsync(context, caller, user => app.OwnerId == user.Id))
        {
            return;
        }

        if (Store(context).Find(app.Id, fid) is not { } credential || !Store(context).Remove(app.Id, credential.Id))
        {
            await NotFoundAsync(context, fid);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task WriteEntityAsync(HttpContext context, string version, Guid appId, FederatedIdentityCredential credential, int status)
    {
        await using var writer = ApplicationEndpoints.StartJson(context, status);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", Context(version, appId) + "/$entity");
        ApplicationJsonWriter.WriteCredential(writer, credential);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static Task NotFoundAsync(HttpContext context, string fid) => GraphError.WriteAsync(context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
        $"Resource '{fid}' does not exist or one of its queried reference-property objects are not present.", Clock(context));
}
