using System.Globalization;
using System.Text.Json;
using M365.Sandbox.SharePoint;

namespace M365.Sandbox.Graph;

/// <summary>GET /{version}/sites/root: how clients learn the tenant's SharePoint URL (<c>$select=webUrl</c>).</summary>
internal static class SiteRootEndpoints
{
    private static readonly string[] Properties = { "createdDateTime", "description", "id", "lastModifiedDateTime", "name", "webUrl", "displayName", "root", "siteCollection" };

    public static void Map(RouteGroupBuilder graph, string version) =>
        graph.MapGet($"/{version}/sites/root", (HttpContext context) => GetAsync(context, version));

    private static async Task GetAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadSites) is null)
        {
            return;
        }

        var tenant = context.RequestServices.GetRequiredService<TenantProfile>();
        var selected = new List<string>();
        foreach (var name in context.Request.Query["$select"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = Array.Find(Properties, p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest,
                    $"Could not find a property named '{name}' on type 'microsoft.graph.site'.", tenant.TimeProvider);
                return;
            }

            selected.Add(known);
        }

        var show = selected.Count == 0 ? Properties : selected.ToArray();
        var rootUrl = tenant.SharePointRootUrl;
        var created = new DateTimeOffset(2017, 6, 1, 0, 0, 0, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var metadataNone = context.Request.Headers.Accept.ToString().Contains("odata.metadata=none", StringComparison.OrdinalIgnoreCase);

        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        if (!metadataNone)
        {
            writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#sites" + (selected.Count == 0 ? string.Empty : $"({string.Join(',', selected)})") + "/$entity");
        }

        foreach (var property in show)
        {
            switch (property)
            {
                case "createdDateTime": writer.WriteString(property, created); break;
                case "description": writer.WriteString(property, string.Empty); break;
                case "id": writer.WriteString(property, $"{tenant.Hosts.SharePoint},{SiteIdentity.SiteIdFor(rootUrl)},{SiteIdentity.WebIdFor(rootUrl)}"); break;
                case "lastModifiedDateTime": writer.WriteString(property, tenant.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)); break;
                case "name": writer.WriteString(property, string.Empty); break;
                case "webUrl": writer.WriteString(property, rootUrl); break;
                case "displayName": writer.WriteString(property, "Communication site"); break;
                case "root": writer.WriteStartObject(property); writer.WriteEndObject(); break;
                case "siteCollection":
                    writer.WriteStartObject(property);
                    writer.WriteString("hostname", tenant.Hosts.SharePoint);
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
