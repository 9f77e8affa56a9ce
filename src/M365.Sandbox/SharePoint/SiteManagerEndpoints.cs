using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>Communication sites: POST /_api/SPSiteManager/Create and GET /_api/SPSiteManager/status?url='…'.</summary>
internal static class SiteManagerEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapPost("/_api/SPSiteManager/Create", CreateAsync);
        tenant.MapGet("/_api/SPSiteManager/status", StatusAsync);
    }

    private static async Task CreateAsync(HttpContext context)
    {
        var caller = await context.AuthorizeAsync(SharePointPermissions.CreateSites);
        if (caller is null)
        {
            return;
        }

        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var spec = CommunicationSiteRequest.Parse(body.RootElement, context.Request.Host.Host, caller, out var code, out var message);
        if (spec is null)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, code!, message!);
            return;
        }

        var store = context.RequestServices.GetRequiredService<SiteStore>();
        var site = store.Create(spec).Site;
        await WriteStatusAsync(context, store, site);
    }

    private static async Task StatusAsync(HttpContext context)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.CreateSites) is null)
        {
            return;
        }

        var url = ODataLiteral.Unquote(context.Request.Query["url"].ToString());
        if (url is null)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.ArgumentException, "Value cannot be null.\r\nParameter name: url");
            return;
        }

        var store = context.RequestServices.GetRequiredService<SiteStore>();
        if (!store.TryGet(url, out var site))
        {
            await SharePointJson.WriteAsync(context, new { SiteId = Guid.Empty, SiteStatus = (int)SiteStatus.NotFound, SiteUrl = string.Empty });
            return;
        }

        await WriteStatusAsync(context, store, site);
    }

    private static Task WriteStatusAsync(HttpContext context, SiteStore store, SiteRecord site) =>
        SharePointJson.WriteAsync(context, new { SiteId = site.SiteId, SiteStatus = (int)store.StatusOf(site), SiteUrl = site.Url });
}
