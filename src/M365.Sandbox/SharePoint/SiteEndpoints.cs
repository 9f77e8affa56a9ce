using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>GET /_api/site: the site collection, for a host's root site and for /sites/{name} and /teams/{name}.</summary>
internal static class SiteEndpoints
{
    public static void Map(RouteGroupBuilder host)
    {
        host.MapGet("/_api/site", (HttpContext context) => SiteAsync(context, string.Empty));
        foreach (var managedPath in new[] { "sites", "teams" })
        {
            host.MapGet($"/{managedPath}/{{name}}/_api/site", (HttpContext context, string name) => SiteAsync(context, $"/{managedPath}/{name}"));
        }
    }

    private static async Task SiteAsync(HttpContext context, string path)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.ReadWeb) is null)
        {
            return;
        }

        var site = await WebEndpoints.FindReadySiteAsync(context, path);
        if (site is null)
        {
            return;
        }

        await SharePointJson.WriteAsync(context, new
        {
            Classification = string.Empty,
            GroupId = site.Spec.GroupId ?? Guid.Empty,
            HubSiteId = Guid.Empty,
            Id = site.SiteId,
            IsHubSite = false,
            ReadOnly = false,
            ServerRelativeUrl = new Uri(site.Url).AbsolutePath,
            Url = site.Url,
        });
    }
}
