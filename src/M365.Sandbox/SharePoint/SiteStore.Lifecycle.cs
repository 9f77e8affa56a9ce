using System.Globalization;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// The tenant's site listing (paged as GetSitePropertiesFromSharePointByFilters pages), its recycle bin, and the
/// SpoOperations of removals and restores, which complete after <see cref="OperationDelay"/> on the tenant's clock.
/// </summary>
public sealed partial class SiteStore
{
    private readonly Dictionary<string, DeletedSite> _deleted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _operations = new(StringComparer.Ordinal);
    private TimeSpan _operationDelay;
    private int _listPageSize = 300;

    /// <summary>How long a RemoveSite, RemoveDeletedSite or RestoreDeletedSite operation takes before IsComplete (default: the provisioning delay).</summary>
    public TimeSpan OperationDelay
    {
        get { lock (_gate) { return _operationDelay; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _operationDelay = value; }
        }
    }

    /// <summary>How many sites one page of GetSitePropertiesFromSharePointByFilters holds (SharePoint's is 300).</summary>
    public int ListPageSize
    {
        get { lock (_gate) { return _listPageSize; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate) { _listPageSize = value; }
        }
    }

    private readonly Dictionary<string, Guid> _hubs = new(StringComparer.Ordinal);

    /// <summary>Associates a site with a hub site (JoinHubSite); false when no site has the hub's id.</summary>
    public bool TryJoinHub(string url, Guid hubSiteId)
    {
        lock (_gate)
        {
            if (!_byUrl.Values.Any(s => s.SiteId == hubSiteId))
            {
                return false;
            }

            _hubs[SiteUrl.Normalize(url)] = hubSiteId;
            return true;
        }
    }

    /// <summary>The hub site a site is associated with; the empty Guid when none.</summary>
    public Guid HubOf(string url)
    {
        lock (_gate)
        {
            return _hubs.TryGetValue(SiteUrl.Normalize(url), out var hub) ? hub : Guid.Empty;
        }
    }

    /// <summary>The active (not deleted, not failed) site collections, in URL order, as SharePoint lists them.</summary>
    public IReadOnlyList<SiteRecord> List()
    {
        lock (_gate)
        {
            return _byUrl.Values.Where(s => !s.Failed).OrderBy(s => SiteUrl.Normalize(s.Url), StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The sites in the recycle bin, in deletion order.</summary>
    public IReadOnlyList<DeletedSite> ListDeleted()
    {
        lock (_gate)
        {
            return _deleted.Values.OrderBy(d => d.DeletedAt).ToArray();
        }
    }

    public bool TryGetDeleted(string url, out DeletedSite deleted)
    {
        lock (_gate)
        {
            return _deleted.TryGetValue(SiteUrl.Normalize(url), out deleted!);
        }
    }

    /// <summary>True for the tenant's root site, its admin site and the OneDrive host's root: SharePoint never deletes those.</summary>
    public bool IsSystemSite(string url)
    {
        var key = SiteUrl.Normalize(url);
        var hosts = _tenant.Hosts;
        return new[] { hosts.SharePoint, hosts.SharePointAdmin, hosts.SharePointMy }.Any(h => key == "https://" + h);
    }

    /// <summary>Moves an active site to the recycle bin (Tenant.RemoveSite, or its group's deletion).</summary>
    public bool TryRemove(string url, out SiteRecord site)
    {
        var key = SiteUrl.Normalize(url);
        lock (_gate)
        {
            if (!_byUrl.Remove(key, out site!))
            {
                return false;
            }

            _deleted[key] = new DeletedSite(site, TimeProvider.GetUtcNow());
            return true;
        }
    }

    /// <summary>Deletes a site of the recycle bin for good (Tenant.RemoveDeletedSite).</summary>
    public bool TryPurge(string url)
    {
        lock (_gate)
        {
            return _deleted.Remove(SiteUrl.Normalize(url));
        }
    }

    /// <summary>Brings a site of the recycle bin back (Tenant.RestoreDeletedSite); false when it is not there or its URL is taken again.</summary>
    public bool TryRestore(string url, out SiteRecord site)
    {
        var key = SiteUrl.Normalize(url);
        lock (_gate)
        {
            site = null!;
            if (_byUrl.ContainsKey(key) || !_deleted.Remove(key, out var deleted))
            {
                return false;
            }

            site = deleted.Site;
            _byUrl[key] = site;
            return true;
        }
    }

    /// <summary>A new SpoOperation of the given kind (RemoveSite…), complete after <see cref="OperationDelay"/>.</summary>
    public string StartOperation(string kind, string url)
    {
        var now = TimeProvider.GetUtcNow();
        var id = OperationIdFor(kind, url, now);
        lock (_gate)
        {
            _operations[id] = now + _operationDelay;
        }

        return id;
    }

    /// <summary>Whether the operation with this identity is complete; false when there is no such operation.</summary>
    public bool TryGetOperation(string identity, out bool isComplete, out TimeSpan remaining)
    {
        lock (_gate)
        {
            isComplete = false;
            remaining = TimeSpan.Zero;
            if (!_operations.TryGetValue(identity, out var completeAt))
            {
                return false;
            }

            remaining = completeAt - TimeProvider.GetUtcNow();
            isComplete = remaining <= TimeSpan.Zero;
            return true;
        }
    }

    // SharePoint's shape: "{guid}|908bed80-a04a-4433-b4a0-883d9847d110:{tenant}\nSpoOperation\n{kind}\n{ticks}\n{url-encoded url}\n{guid}".
    private string OperationIdFor(string kind, string url, DateTimeOffset at) => string.Join('\n',
        $"{Guid.NewGuid()}|908bed80-a04a-4433-b4a0-883d9847d110:{_tenant.TenantId}",
        SpoOperationLabel,
        kind,
        at.UtcTicks.ToString(CultureInfo.InvariantCulture),
        Uri.EscapeDataString(url).ToLowerInvariant(),
        Guid.Empty.ToString());
}

/// <summary>A site in the tenant's recycle bin: kept 93 days, as SharePoint keeps them.</summary>
public sealed record DeletedSite(SiteRecord Site, DateTimeOffset DeletedAt)
{
    public const int RetentionDays = 93;

    public int DaysRemainingAt(DateTimeOffset now) => Math.Max(0, RetentionDays - (int)(now - DeletedAt).TotalDays);
}
