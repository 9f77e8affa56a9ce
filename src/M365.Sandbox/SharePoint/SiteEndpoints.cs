using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>GET /_api/site: the site collection, for a host's root site and for /sites/{name} and /teams/{name}; POST …/_api/site/JoinHubSite('{id}').</summary>
internal static class SiteEndpoints
{
    public static void Map(RouteGroupBuilder host)
    {
        host.MapGet("/_api/site", (HttpContext context) => SiteAsync(context, string.Empty));
        foreach (var managedPath in new[] { "sites", "teams" })
        {
            host.MapGet($"/{managedPath}/{{name}}/_api/site", (HttpContext context, string name) => SiteAsync(context, $"/{managedPath}/{name}"));
            host.MapPost($"/{managedPath}/{{name}}/_api/site/JoinHubSite('{{hub}}')", (HttpContext context, string name, string hub) => JoinHubAsync(context, $"/{managedPath}/{name}", hub));
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
            HubSiteId = context.RequestServices.GetRequiredService<SiteStore>().HubOf(site.Url),
            Id = site.SiteId,
            IsHubSite = false,
            ReadOnly = false,
            SensitivityLabelId = site.Spec.SensitivityLabel?.ToString("D"),
            ServerRelativeUrl = new Uri(site.Url).AbsolutePath,
            Url = site.Url,
        });
    }

    /// <summary>POST {site}/_api/site/JoinHubSite('{hubSiteId}'): the hub's id must be a site's (the sandbox keeps no hub registrations).</summary>
    private static async Task JoinHubAsync(HttpContext context, string path, string hub)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.CreateSites) is null)
        {
            return;
        }

        var site = await WebEndpoints.FindReadySiteAsync(context, path);
        if (site is null)
        {
            return;
        }

        if (!Guid.TryParse(hub, out var hubId) || !context.RequestServices.GetRequiredService<SiteStore>().TryJoinHub(site.Url, hubId))
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.ArgumentException, $"The hub site {hub} does not exist.");
            return;
        }

        await SharePointJson.WriteAsync(context, new Dictionary<string, object> { ["odata.null"] = true });
    }
}
