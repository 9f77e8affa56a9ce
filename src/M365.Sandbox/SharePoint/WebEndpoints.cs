using System.Globalization;
using System.Security.Cryptography;
using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// GET /_api/web, GET /_api/web/webs and POST /_api/contextinfo, for a host's root site and for /sites/{name} and /teams/{name}.
/// </summary>
internal static class WebEndpoints
{
    private const int FormDigestTimeoutSeconds = 1800;

    public static void Map(RouteGroupBuilder host)
    {
        host.MapGet("/_api/web", (HttpContext context) => WebAsync(context, string.Empty));
        host.MapGet("/_api/web/webs", (HttpContext context) => SubwebsAsync(context, string.Empty));
        host.MapPost("/_api/contextinfo", (HttpContext context) => ContextInfoAsync(context, string.Empty));
        foreach (var managedPath in new[] { "sites", "teams" })
        {
            host.MapGet($"/{managedPath}/{{name}}/_api/web", (HttpContext context, string name) => WebAsync(context, $"/{managedPath}/{name}"));
            host.MapGet($"/{managedPath}/{{name}}/_api/web/webs", (HttpContext context, string name) => SubwebsAsync(context, $"/{managedPath}/{name}"));
            host.MapPost($"/{managedPath}/{{name}}/_api/contextinfo", (HttpContext context, string name) => ContextInfoAsync(context, $"/{managedPath}/{name}"));
        }
    }

    private static async Task WebAsync(HttpContext context, string path)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.ReadWeb) is null)
        {
            return;
        }

        var site = await FindReadySiteAsync(context, path);
        if (site is null)
        {
            return;
        }

        var serverRelative = new Uri(site.Url).AbsolutePath;
        // SharePoint splits the template name "SITEPAGEPUBLISHING#0" into WebTemplate and the number after '#', Configuration.
        var template = site.Spec.Template.Split('#');
        await SharePointJson.WriteAsync(context, new
        {
            Configuration = template.Length > 1 && int.TryParse(template[1], NumberStyles.None, CultureInfo.InvariantCulture, out var configuration) ? configuration : 0,
            Created = site.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            Description = site.Spec.Description,
            Id = site.WebId,
            Language = site.Spec.Lcid,
            LastItemModifiedDate = (site.ReadyAt > site.CreatedAt ? site.ReadyAt : site.CreatedAt).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ServerRelativeUrl = serverRelative,
            Title = site.Spec.Title,
            Url = site.Url,
            WebTemplate = template[0],
        });
    }

    /// <summary>The sandbox's sites have no subwebs: an existing site answers an empty list, as SharePoint does then.</summary>
    private static async Task SubwebsAsync(HttpContext context, string path)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.ReadWeb) is null)
        {
            return;
        }

        if (await FindReadySiteAsync(context, path) is null)
        {
            return;
        }

        await SharePointJson.WriteAsync(context, new { value = Array.Empty<object>() });
    }

    private static async Task ContextInfoAsync(HttpContext context, string path)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.ReadWeb) is null)
        {
            return;
        }

        var site = await FindReadySiteAsync(context, path);
        if (site is null)
        {
            return;
        }

        var now = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider.GetUtcNow();
        var digest = "0x" + Convert.ToHexString(RandomNumberGenerator.GetBytes(64)) + "," + now.UtcDateTime.ToString("dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " -0000";
        await SharePointJson.WriteAsync(context, new
        {
            FormDigestTimeoutSeconds,
            FormDigestValue = digest,
            LibraryVersion = "16.0.0.0",
            SiteFullUrl = site.Url,
            SupportedSchemaVersions = new[] { "14.0.0.0", "15.0.0.0" },
            WebFullUrl = site.Url,
        });
    }

    /// <summary>The site at this host and path once it is ready; otherwise writes SharePoint's 404 and returns null.</summary>
    internal static async Task<SiteRecord?> FindReadySiteAsync(HttpContext context, string path)
    {
        var store = context.RequestServices.GetRequiredService<SiteStore>();
        var url = $"https://{context.Request.Host.Host}{path}";
        if (store.TryGet(url, out var site) && store.StatusOf(site) == SiteStatus.Ready)
        {
            return site;
        }

        await SharePointError.WriteAsync(context, StatusCodes.Status404NotFound, SharePointError.FileNotFound, "File Not Found.");
        return null;
    }
}
