using System.Globalization;
using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// The tenant's site collections, with provisioning that takes <see cref="ProvisioningDelay"/> on the tenant's
/// clock, and failures that tests or the control API inject per URL with <see cref="FailNextCreation"/>.
/// </summary>
public sealed partial class SiteStore
{
    private const string SpoOperationLabel = "SpoOperation";

    private readonly object _gate = new();
    private readonly Dictionary<string, SiteRecord> _byUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiteRecord> _byOperation = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failNext = new(StringComparer.Ordinal);
    private readonly TenantProfile _tenant;
    private TimeSpan _provisioningDelay;

    public SiteStore(TenantProfile tenant, TimeSpan provisioningDelay)
    {
        _tenant = tenant;
        ProvisioningDelay = provisioningDelay;
        var hosts = tenant.Hosts;
        Seed(new SiteCreationSpec("https://" + hosts.SharePoint, "Communication site", "SITEPAGEPUBLISHING#0", "admin@" + hosts.TenantDomain));
        Seed(new SiteCreationSpec("https://" + hosts.SharePointAdmin, "SharePoint admin center", "TENANTADMIN#0", "admin@" + hosts.TenantDomain));
        Seed(new SiteCreationSpec("https://" + hosts.SharePointMy, "SharePoint", "SPSMSITEHOST#0", "admin@" + hosts.TenantDomain));
        Seed(new SiteCreationSpec($"https://{hosts.SharePointMy}/personal/admin_{hosts.TenantDomain.Replace('.', '_')}", "Sandbox Admin", "SPSPERS#10", "admin@" + hosts.TenantDomain));
        _operationDelay = provisioningDelay;
    }

    public TimeProvider TimeProvider => _tenant.TimeProvider;

    /// <summary>How long new sites stay in SiteStatus 1 (Provisioning). Settable at run time by the control API.</summary>
    public TimeSpan ProvisioningDelay
    {
        get { lock (_gate) { return _provisioningDelay; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _provisioningDelay = value; }
        }
    }

    /// <summary>The next creation of this URL ends in SiteStatus 3 (Error); a creation after that succeeds again.</summary>
    public void FailNextCreation(string url)
    {
        lock (_gate)
        {
            _failNext.Add(SiteUrl.Normalize(url));
        }
    }

    /// <summary>
    /// Creates the site, or returns the one already at the URL (Created false). A failed site is replaced by a new
    /// attempt, as SharePoint lets a failed URL be created again.
    /// </summary>
    public SiteCreation Create(SiteCreationSpec spec)
    {
        var key = SiteUrl.Normalize(spec.Url);
        var now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_byUrl.TryGetValue(key, out var existing) && !existing.Failed)
            {
                return new SiteCreation(existing, false);
            }

            var failed = _failNext.Remove(key);
            var url = spec.Url.Trim().TrimEnd('/');
            var site = new SiteRecord(spec with { Url = url }, SiteIdentity.SiteIdFor(url), SiteIdentity.WebIdFor(url), now, now + _provisioningDelay, failed, OperationIdFor(url, now));
            _byUrl[key] = site;
            _byOperation[site.OperationId] = site;
            return new SiteCreation(site, true);
        }
    }

    public bool TryGet(string url, out SiteRecord site)
    {
        lock (_gate)
        {
            return _byUrl.TryGetValue(SiteUrl.Normalize(url), out site!);
        }
    }

    /// <summary>Finds the site a CSOM SpoOperation identity (as returned in _ObjectIdentity_) stands for.</summary>
    public bool TryGetByOperation(string operationId, out SiteRecord site)
    {
        lock (_gate)
        {
            return _byOperation.TryGetValue(operationId, out site!);
        }
    }

    public SiteStatus StatusOf(SiteRecord site) => site.StatusAt(TimeProvider.GetUtcNow());

    /// <summary>The sites of a Microsoft 365 group, if the group has one.</summary>
    public bool TryGetByGroup(Guid groupId, out SiteRecord site)
    {
        lock (_gate)
        {
            site = _byUrl.Values.FirstOrDefault(s => s.Spec.GroupId == groupId)!;
            return site is not null;
        }
    }

    private void Seed(SiteCreationSpec spec)
    {
        var created = new DateTimeOffset(2017, 6, 1, 0, 0, 0, TimeSpan.Zero);
        // Ready since forever, whatever a fake clock says the time is.
        var site = new SiteRecord(spec, SiteIdentity.SiteIdFor(spec.Url), SiteIdentity.WebIdFor(spec.Url), created, DateTimeOffset.MinValue, false, OperationIdFor(spec.Url, created));
        _byUrl[SiteUrl.Normalize(spec.Url)] = site;
    }

    private string OperationIdFor(string url, DateTimeOffset at) => OperationIdFor("SiteCreation", url, at);
}
