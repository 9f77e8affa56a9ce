using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Graph;
using M365.Sandbox.Graph.Groups;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// The admin host's REST calls of site removal, as the CLI for Microsoft 365's <c>spo site remove</c> makes them: the
/// hidden aggregated site list (GroupId, TimeDeleted, SiteId of a URL), GroupSiteManager/Delete for a group's site,
/// and Tenant/RemoveSite and Tenant/RemoveDeletedSite for the others.
/// </summary>
internal static partial class TenantAdminEndpoints
{
    public const string AggregatedListTitle = "DO_NOT_DELETE_SPLIST_TENANTADMIN_AGGREGATED_SITECOLLECTIONS";
    private const string TenantPath = "/_api/Microsoft.Online.SharePoint.TenantAdministration.Tenant";

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/_api/web/lists/GetByTitle('{title}')/items", AggregatedItemsAsync);
        admin.MapPost("/_api/GroupSiteManager/Delete", DeleteGroupSiteAsync);
        admin.MapPost(TenantPath + "/RemoveSite", (HttpContext context) => TenantCallAsync(context, "RemoveSite"));
        admin.MapPost(TenantPath + "/RemoveDeletedSite", (HttpContext context) => TenantCallAsync(context, "RemoveDeletedSite"));
        admin.MapPost(TenantPath + "/RestoreDeletedSite", (HttpContext context) => TenantCallAsync(context, "RestoreDeletedSite"));
    }

    /// <summary>Deletes a group and moves its site to the recycle bin, as Entra ID and SharePoint do together.</summary>
    public static bool DeleteGroup(IServiceProvider services, Guid groupId)
    {
        if (!services.GetRequiredService<GroupStore>().TryDelete(groupId))
        {
            return false;
        }

        var sites = services.GetRequiredService<SiteStore>();
        if (sites.TryGetByGroup(groupId, out var site))
        {
            sites.TryRemove(site.Url, out _);
        }

        return true;
    }

    private static async Task AggregatedItemsAsync(HttpContext context, string title)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.TenantAdministration) is null)
        {
            return;
        }

        if (!string.Equals(title, AggregatedListTitle, StringComparison.OrdinalIgnoreCase))
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status404NotFound, SharePointError.ArgumentException, $"List '{title}' does not exist at site with URL '{context.Request.Scheme}://{context.Request.Host}'.");
            return;
        }

        var filter = SiteUrlFilter().Match(context.Request.Query["$filter"].ToString());
        var sites = context.RequestServices.GetRequiredService<SiteStore>();
        var items = new List<Dictionary<string, object?>>();
        foreach (var site in sites.List())
        {
            items.Add(Item(site, null));
        }

        foreach (var deleted in sites.ListDeleted())
        {
            items.Add(Item(deleted.Site, deleted.DeletedAt));
        }

        var wanted = filter.Success ? SiteUrl.Normalize(filter.Groups[1].Value.Replace("''", "'")) : null;
        var value = items.Where(i => wanted is null || SiteUrl.Normalize((string)i["SiteUrl"]!) == wanted).ToArray();
        await SharePointJson.WriteAsync(context, new { value });
    }

    private static Dictionary<string, object?> Item(SiteRecord site, DateTimeOffset? deletedAt) => new()
    {
        ["GroupId"] = (site.Spec.GroupId ?? Guid.Empty).ToString("D"),
        ["SiteId"] = site.SiteId.ToString("D"),
        ["SiteUrl"] = site.Url,
        ["TimeDeleted"] = deletedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["Title"] = site.Spec.Title,
        ["TemplateName"] = site.Spec.Template,
    };

    private static async Task DeleteGroupSiteAsync(HttpContext context)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.CreateGroupSites) is null)
        {
            return;
        }

        var url = context.Request.Query["siteUrl"].ToString().Trim('\'').Replace("''", "'");
        var sites = context.RequestServices.GetRequiredService<SiteStore>();
        if (!sites.TryGet(url, out var site) || site.Spec.GroupId is not Guid groupId)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.ArgumentException, $"The site {url} is not connected to a Microsoft 365 group.");
            return;
        }

        DeleteGroup(context.RequestServices, groupId);
        await SharePointJson.WriteAsync(context, new Dictionary<string, object> { ["odata.null"] = true });
    }

    private static async Task TenantCallAsync(HttpContext context, string method)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.TenantAdministration) is null)
        {
            return;
        }

        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var url = body.RootElement.TryGetProperty("siteUrl", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : string.Empty;
        var profile = context.RequestServices.GetRequiredService<TenantProfile>();
        var methods = new Csom.CsomTenantMethods(context.RequestServices.GetRequiredService<SiteStore>(), profile);
        var path = new Csom.CsomMethodPath(0, 0, method, new System.Xml.Linq.XElement(Csom.CsomRequest.Ns + "Parameters", new System.Xml.Linq.XElement(Csom.CsomRequest.Ns + "Parameter", url)));
        var operation = methods.Invoke(path, out var fault);
        if (operation is null)
        {
            var status = fault!.TypeName.EndsWith("SpoNoSiteException", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            await SharePointError.WriteAsync(context, status, $"{fault.Code}, {fault.TypeName}", fault.Message);
            return;
        }

        await SharePointJson.WriteAsync(context, operation.Properties.ToDictionary(p => p.Key, p => p.Value));
    }

    [GeneratedRegex(@"SiteUrl\s+eq\s+'((?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex SiteUrlFilter();
}
