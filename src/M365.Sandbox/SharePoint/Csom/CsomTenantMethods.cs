using System.Globalization;
using System.Xml.Linq;
using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// The Tenant methods of site administration, as the CLI for Microsoft 365 and PnP send them:
/// GetSitePropertiesFromSharePointByFilters (paged by StartIndex / NextStartIndexFromSharePoint), GetSitePropertiesByUrl,
/// RemoveSite, GetDeletedSitePropertiesFromSharePoint, RemoveDeletedSite and RestoreDeletedSite.
/// </summary>
internal sealed class CsomTenantMethods
{
    public const string FilterTypeId = "{b92aeee2-c92c-4b67-abcc-024e471bc140}";
    private const string Namespace = "Microsoft.Online.SharePoint.TenantAdministration.";
    private const string PersonalTemplatePrefix = "SPSPERS";

    private readonly SiteStore _sites;
    private readonly TenantProfile _tenant;

    public CsomTenantMethods(SiteStore sites, TenantProfile tenant)
    {
        _sites = sites;
        _tenant = tenant;
    }

    public CsomObject? Invoke(CsomMethodPath method, out CsomFault? fault)
    {
        fault = null;
        var parameters = method.Parameters?.Elements(CsomRequest.Ns + "Parameter").ToArray() ?? Array.Empty<XElement>();
        string Text(int index) => index < parameters.Length ? parameters[index].Value.Trim() : string.Empty;
        switch (method.Name)
        {
            case "GetSitePropertiesFromSharePointByFilters":
                return List(parameters.FirstOrDefault(), out fault);
            case "GetSitePropertiesByUrl":
                return _sites.TryGet(Text(0), out var site) && !site.Failed ? SiteProperties(site) : Fail(out fault, NoSite(Text(0)));
            case "RemoveSite":
                return Remove(Text(0), out fault);
            case "GetDeletedSitePropertiesFromSharePoint":
                return Deleted(Text(0), out fault);
            case "RemoveDeletedSite":
                return _sites.TryPurge(Text(0)) ? Operation("RemoveDeletedSite", Text(0)) : Fail(out fault, NoDeletedSite(Text(0)));
            case "RestoreDeletedSite":
                return _sites.TryRestore(Text(0), out _) ? Operation("RestoreDeletedSite", Text(0)) : Fail(out fault, NoDeletedSite(Text(0)));
            default:
                fault = CsomFault.InvalidQuery($"The method {method.Name} on {Namespace}Tenant is not supported by the sandbox tenant.");
                return null;
        }
    }

    public static CsomObject OperationObject(string identity, bool isComplete, TimeSpan remaining) => new(
        CsomProcessor.OperationType,
        identity,
        new KeyValuePair<string, object?>[]
        {
            new("HasTimedout", false),
            new("IsComplete", isComplete),
            new("PollingInterval", isComplete ? CsomProcessor.MaxPollingIntervalMs : (int)Math.Clamp(Math.Ceiling(remaining.TotalMilliseconds), 1, CsomProcessor.MaxPollingIntervalMs)),
        });

    /// <summary>SiteProperties as SharePoint returns them, also for the REST aggregated site list.</summary>
    public CsomObject SiteProperties(SiteRecord site)
    {
        var spec = site.Spec;
        var owner = spec.Owner;
        return new CsomObject(Namespace + "SiteProperties", $"{Hosting.DeterministicGuid.From("siteprops:" + site.Url)}|908bed80-a04a-4433-b4a0-883d9847d110:{_tenant.TenantId}\nSiteProperties\n{Uri.EscapeDataString(site.Url).ToLowerInvariant()}", new KeyValuePair<string, object?>[]
        {
            new("CreatedTime", CsomDate(site.CreatedAt)),
            new("DenyAddAndCustomizePages", 2),
            new("GroupId", CsomGuid(spec.GroupId ?? Guid.Empty)),
            new("HubSiteId", CsomGuid(_sites.HubOf(site.Url))),
            new("IsHubSite", false),
            new("LastContentModifiedDate", CsomDate(site.CreatedAt)),
            new("Lcid", spec.Lcid),
            new("LockIssue", null),
            new("LockState", "Unlock"),
            new("Owner", owner),
            new("PreferredDataLocation", spec.PreferredDataLocation),
            new("SensitivityLabel", CsomGuid(spec.SensitivityLabel ?? Guid.Empty)),
            new("OwnerEmail", owner),
            new("OwnerLoginName", "i:0#.f|membership|" + owner),
            new("SharingCapability", 1),
            new("SiteId", CsomGuid(site.SiteId)),
            new("Status", _sites.StatusOf(site) == SiteStatus.Ready ? "Active" : "Creating"),
            new("StorageMaximumLevel", spec.StorageMaximumLevel),
            new("StorageUsage", 1L),
            new("StorageWarningLevel", spec.StorageMaximumLevel * 95 / 100),
            new("Template", spec.Template),
            new("TimeZoneId", spec.TimeZoneId),
            new("Title", spec.Title),
            new("Url", site.Url),
            new("WebsCount", 1),
        });
    }

    private CsomObject? List(XElement? filter, out CsomFault? fault)
    {
        fault = null;
        if (filter is null || !string.Equals((string?)filter.Attribute("TypeId"), FilterTypeId, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(out fault, CsomFault.Argument("GetSitePropertiesFromSharePointByFilters takes one SPOSitePropertiesEnumerableFilter parameter (TypeId " + FilterTypeId + ")."));
        }

        var values = filter.Elements(CsomRequest.Ns + "Property")
            .GroupBy(p => (string?)p.Attribute("Name") ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var predicate = SiteFilter.Parse(values.GetValueOrDefault("Filter") ?? string.Empty, out var error);
        if (predicate is null)
        {
            return Fail(out fault, CsomFault.Argument(error!));
        }

        var start = values.GetValueOrDefault("StartIndex");
        var startIndex = 0;
        if (!string.IsNullOrEmpty(start) && (!int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out startIndex) || startIndex < 0))
        {
            return Fail(out fault, CsomFault.Argument($"The StartIndex '{start}' is not one SharePoint returned as NextStartIndexFromSharePoint."));
        }

        // PersonalSiteFilter: 0 UseServerDefault (exclude), 1 Include, 2 Exclude.
        var personal = values.GetValueOrDefault("IncludePersonalSite") is "1" or "Include";
        var template = values.GetValueOrDefault("Template") ?? string.Empty;
        var matches = _sites.List()
            .Where(s => template.Length > 0 ? string.Equals(s.Spec.Template, template, StringComparison.OrdinalIgnoreCase)
                : personal || !s.Spec.Template.StartsWith(PersonalTemplatePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(SiteProperties)
            .Where(p => predicate(p.Properties))
            .ToList();
        var size = _sites.ListPageSize;
        var page = matches.Skip(startIndex).Take(size).ToList();
        var next = startIndex + page.Count < matches.Count ? (startIndex + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new CsomObject(Namespace + "SPOSitePropertiesEnumerable", string.Empty, new KeyValuePair<string, object?>[]
        {
            new("NextStartIndex", -1),
            new("NextStartIndexFromSharePoint", next),
        }) { Children = page };
    }

    private CsomObject? Remove(string url, out CsomFault? fault)
    {
        fault = null;
        if (_sites.IsSystemSite(url))
        {
            return Fail(out fault, new CsomFault($"The site {url} cannot be deleted: it is the tenant's root site, its SharePoint admin center or the OneDrive host.", -2147024891, "System.UnauthorizedAccessException"));
        }

        if (!_sites.TryGet(url, out var site) || site.Failed)
        {
            return Fail(out fault, NoSite(url));
        }

        if (site.Spec.GroupId is not null)
        {
            return Fail(out fault, new CsomFault("This site belongs to a Microsoft 365 group. To delete the site, you must delete the group.", -2146232832, "Microsoft.SharePoint.SPException"));
        }

        _sites.TryRemove(url, out _);
        return Operation("RemoveSite", url);
    }

    private CsomObject? Deleted(string start, out CsomFault? fault)
    {
        fault = null;
        var startIndex = 0;
        if (start.Length > 0 && !int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out startIndex))
        {
            return Fail(out fault, CsomFault.Argument($"The start index '{start}' is not valid."));
        }

        var now = _sites.TimeProvider.GetUtcNow();
        var all = _sites.ListDeleted();
        var page = all.Skip(startIndex).Take(_sites.ListPageSize).Select(d => new CsomObject(Namespace + "DeletedSiteProperties", string.Empty, new KeyValuePair<string, object?>[]
        {
            new("DaysRemaining", d.DaysRemainingAt(now)),
            new("DeletionTime", CsomDate(d.DeletedAt)),
            new("SiteId", CsomGuid(d.Site.SiteId)),
            new("Status", "Recycled"),
            new("StorageMaximumLevel", d.Site.Spec.StorageMaximumLevel),
            new("Url", d.Site.Url),
        })).ToList();
        var next = startIndex + page.Count < all.Count ? (startIndex + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new CsomObject(Namespace + "SPODeletedSitePropertiesEnumerable", string.Empty, new KeyValuePair<string, object?>[]
        {
            new("NextStartIndex", -1),
            new("NextStartIndexFromSharePoint", next),
        }) { Children = page };
    }

    private CsomObject Operation(string kind, string url)
    {
        var identity = _sites.StartOperation(kind, url);
        _sites.TryGetOperation(identity, out var complete, out var remaining);
        return OperationObject(identity, complete, remaining);
    }

    private static CsomObject? Fail(out CsomFault? fault, CsomFault value)
    {
        fault = value;
        return null;
    }

    private static CsomFault NoSite(string url) => new($"Cannot get site {url}.", -1, "Microsoft.Online.SharePoint.Common.SpoNoSiteException");

    private static CsomFault NoDeletedSite(string url) => new($"Unable to find the deleted site: {url}.", -1, "Microsoft.Online.SharePoint.Common.SpoNoSiteException");

    /// <summary>CSOM's JSON date: "/Date(year,month-1,day,hour,minute,second,millisecond)/" in UTC.</summary>
    public static string CsomDate(DateTimeOffset at)
    {
        var u = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"/Date({u.Year},{u.Month - 1},{u.Day},{u.Hour},{u.Minute},{u.Second},{u.Millisecond})/");
    }

    public static string CsomGuid(Guid id) => "/Guid(" + id.ToString("D") + ")/";
}
