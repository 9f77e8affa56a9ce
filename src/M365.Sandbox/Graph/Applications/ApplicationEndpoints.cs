using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.Applications;

/// <summary>
/// GET /{version}/applications (optionally <c>$filter=appId eq '…'</c> or <c>displayName eq '…'</c>) and
/// /{version}/applications/{id}: enough to find an app's object id. Issue 18 grows the rest of /applications here.
/// </summary>
internal static partial class ApplicationEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapGet($"/{version}/applications", (HttpContext context) => ListAsync(context, version));
        graph.MapGet($"/{version}/applications/{{id}}", (HttpContext context, string id) => GetAsync(context, version, id));
        FederatedIdentityCredentialEndpoints.Map(graph, version);
    }

    /// <summary>The application addressed by the URL's object id, or null after writing Graph's 400/404.</summary>
    internal static async Task<ApplicationRegistration?> FindAsync(HttpContext context, string id)
    {
        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        if (!Guid.TryParse(id, out var objectId))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, "Request_BadRequest", $"Invalid object identifier '{id}'.", clock);
            return null;
        }

        var app = context.RequestServices.GetRequiredService<ApplicationStore>().Find(objectId);
        if (app is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", clock);
        }

        return app;
    }

    private static async Task ListAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null)
        {
            return;
        }

        var apps = context.RequestServices.GetRequiredService<ApplicationStore>().List();
        var filter = context.Request.Query["$filter"].ToString();
        if (filter.Length > 0)
        {
            var match = Filter().Match(filter.Trim());
            if (!match.Success)
            {
                var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.UnsupportedQuery,
                    $"The $filter '{filter}' is not supported on applications by this sandbox tenant: use appId eq '<guid>' or displayName eq '<name>'.", clock);
                return;
            }

            var value = match.Groups["value"].Value.Replace("''", "'");
            apps = match.Groups["property"].Value == "appId"
                ? apps.Where(a => Guid.TryParse(value, out var appId) && a.AppId == appId).ToArray()
                : apps.Where(a => a.DisplayName == value).ToArray();
        }

        var domain = context.RequestServices.GetRequiredService<TenantProfile>().Hosts.TenantDomain;
        await using var writer = StartJson(context);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{SandboxHostNames.Graph}/{version}/$metadata#applications");
        writer.WriteStartArray("value");
        foreach (var app in apps)
        {
            writer.WriteStartObject();
            ApplicationJsonWriter.WriteApplication(writer, app, domain);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null || await FindAsync(context, id) is not { } app)
        {
            return;
        }

        await using var writer = StartJson(context);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{SandboxHostNames.Graph}/{version}/$metadata#applications/$entity");
        ApplicationJsonWriter.WriteApplication(writer, app, context.RequestServices.GetRequiredService<TenantProfile>().Hosts.TenantDomain);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    internal static Utf8JsonWriter StartJson(HttpContext context, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        return new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
    }

    [GeneratedRegex(@"^(?<property>appId|displayName)\s+eq\s+'(?<value>(?:[^']|'')*)'$")]
    private static partial Regex Filter();
}
