using M365.Sandbox.Graph;
using M365.Sandbox.Graph.Groups;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// Team sites: POST /_api/GroupSiteManager/CreateGroupEx makes a Microsoft 365 group (visible in Graph /groups)
/// and its site; GET /_api/GroupSiteManager/GetSiteStatus('{groupId}') polls it.
/// </summary>
internal static class GroupSiteManagerEndpoints
{
    public static void Map(RouteGroupBuilder tenant)
    {
        tenant.MapPost("/_api/GroupSiteManager/CreateGroupEx", CreateAsync);
        tenant.MapGet("/_api/GroupSiteManager/GetSiteStatus('{groupId}')", (HttpContext context, string groupId) => StatusAsync(context, groupId));
    }

    private static async Task CreateAsync(HttpContext context)
    {
        var caller = await context.AuthorizeAsync(SharePointPermissions.CreateGroupSites);
        if (caller is null)
        {
            return;
        }

        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var request = GroupSiteRequest.Parse(body.RootElement, caller.Upn ?? string.Empty, out var error);
        if (request is null)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.ArgumentException, error!);
            return;
        }

        var groups = context.RequestServices.GetRequiredService<GroupStore>();
        if (!groups.TryCreate(request.DisplayName, request.Alias, request.IsPublic, request.Description, request.Classification, request.Owners, out var group))
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.SPException, "The group alias already exists.");
            return;
        }

        var sites = context.RequestServices.GetRequiredService<SiteStore>();
        var site = CreateSite(sites, context.Request.Host.Host, request, group.Id);
        await WriteStatusAsync(context, sites, group.Id, site);
    }

    private static async Task StatusAsync(HttpContext context, string groupId)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.CreateGroupSites) is null)
        {
            return;
        }

        if (!Guid.TryParse(groupId, out var id))
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.ArgumentException, $"The group id '{groupId}' is not a valid GUID.");
            return;
        }

        var sites = context.RequestServices.GetRequiredService<SiteStore>();
        if (!sites.TryGetByGroup(id, out var site))
        {
            await SharePointJson.WriteAsync(context, new { DocumentsUrl = (string?)null, ErrorMessage = (string?)null, GroupId = id, SiteStatus = (int)SiteStatus.NotFound, SiteUrl = (string?)null });
            return;
        }

        await WriteStatusAsync(context, sites, id, site);
    }

    private static Task WriteStatusAsync(HttpContext context, SiteStore sites, Guid groupId, SiteRecord site)
    {
        var status = sites.StatusOf(site);
        return SharePointJson.WriteAsync(context, new
        {
            DocumentsUrl = status == SiteStatus.Ready ? site.Url + "/Shared Documents" : null,
            ErrorMessage = status == SiteStatus.Error ? "The site could not be provisioned. Try again later." : null,
            GroupId = groupId,
            SiteStatus = (int)status,
            SiteUrl = site.Url,
        });
    }

    // SharePoint never puts a group's site on a URL that is taken: it appends a number. Creating (not just
    // checking) each candidate keeps two concurrent requests from sharing one site.
    private static SiteRecord CreateSite(SiteStore sites, string host, GroupSiteRequest request, Guid groupId)
    {
        const int maxCandidates = 1000;
        for (var n = 1; ; n++)
        {
            var url = n == 1 ? $"https://{host}/sites/{request.Alias}" : $"https://{host}/sites/{request.Alias}{n}";
            var spec = new SiteCreationSpec(url, request.DisplayName, "GROUP#0", request.Owners.FirstOrDefault() ?? string.Empty, request.Lcid, request.Description, GroupId: groupId,
                SensitivityLabel: request.SensitivityLabel, PreferredDataLocation: request.PreferredDataLocation);
            var creation = sites.Create(spec);
            if (creation.Created || n == maxCandidates)
            {
                return creation.Site;
            }
        }
    }
}
