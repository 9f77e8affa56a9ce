using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// Runs the part of CSOM that site administration needs: the Tenant constructor, its CreateSite method, the
/// methods of <see cref="CsomTenantMethods"/>, and SpoOperation objects named by identity for polling. Anything else is refused with an ErrorInfo.
/// </summary>
internal sealed class CsomProcessor
{
    public const string TenantTypeId = "{268004ae-ef6b-4e9b-8425-127220d84719}";
    public const string OperationType = "Microsoft.Online.SharePoint.TenantAdministration.SpoOperation";
    public const int MaxPollingIntervalMs = 15000;
    private const string TenantType = "Microsoft.Online.SharePoint.TenantAdministration.Tenant";

    private static readonly CsomAction AllProperties = new(CsomAction.QueryKind, 0, 0, true, Array.Empty<string>());
    private readonly SiteStore _sites;
    private readonly TenantProfile _tenant;
    private readonly Dictionary<int, CsomObject> _resolved = new();

    public CsomProcessor(SiteStore sites, TenantProfile tenant)
    {
        _sites = sites;
        _tenant = tenant;
    }

    /// <summary>The answer's entries after the header, in CSOM's order: action id, then its result.</summary>
    public IReadOnlyList<object> Run(CsomRequest request, out CsomFault? fault)
    {
        var results = new List<object>();
        foreach (var action in request.Actions)
        {
            if (action.Kind is not (CsomAction.ObjectPathKind or CsomAction.QueryKind))
            {
                fault = CsomFault.InvalidQuery($"The action <{action.Kind}> is not supported by the sandbox tenant.");
                return Array.Empty<object>();
            }

            var target = Resolve(request, action.ObjectPathId, depth: 0, out fault);
            if (target is null)
            {
                return Array.Empty<object>();
            }

            results.Add(action.Id);
            results.Add(action.Kind == CsomAction.ObjectPathKind ? new Dictionary<string, object?> { ["IsNull"] = false } : Project(target, action));
        }

        fault = null;
        return results;
    }

    private CsomObject? Resolve(CsomRequest request, int pathId, int depth, out CsomFault? fault)
    {
        fault = null;
        if (_resolved.TryGetValue(pathId, out var known))
        {
            return known;
        }

        if (depth > 8 || !request.ObjectPaths.TryGetValue(pathId, out var path))
        {
            fault = CsomFault.InvalidQuery($"The object path {pathId} is not defined in the request.");
            return null;
        }

        CsomObject? result = path switch
        {
            CsomConstructorPath c when string.Equals(c.TypeId, TenantTypeId, StringComparison.OrdinalIgnoreCase) => TenantObject(),
            CsomMethodPath m => Invoke(request, m, depth, out fault),
            CsomIdentityPath i => FindByIdentity(i.Name, out fault),
            _ => null,
        };

        if (result is null && fault is null)
        {
            fault = CsomFault.InvalidQuery($"The object path {pathId} ({path.GetType().Name.Replace("Csom", string.Empty).Replace("Path", string.Empty)}) is not supported by the sandbox tenant.");
        }

        if (result is not null)
        {
            _resolved[pathId] = result;
        }

        return result;
    }

    private CsomObject? Invoke(CsomRequest request, CsomMethodPath method, int depth, out CsomFault? fault)
    {
        var parent = Resolve(request, method.ParentId, depth + 1, out fault);
        if (parent is null)
        {
            return null;
        }

        if (parent.ObjectType == TenantType && method.Name != "CreateSite")
        {
            return new CsomTenantMethods(_sites, _tenant).Invoke(method, out fault);
        }

        if (parent.ObjectType != TenantType)
        {
            fault = CsomFault.InvalidQuery($"The method {method.Name} on {parent.ObjectType} is not supported by the sandbox tenant.");
            return null;
        }

        var spec = SiteCreationProperties.Parse(method.Parameters, _tenant.Hosts.SharePoint, out fault);
        if (spec is null)
        {
            return null;
        }

        var creation = _sites.Create(spec);
        if (!creation.Created)
        {
            fault = CsomFault.SiteExists(creation.Site.Url);
            return null;
        }

        return OperationObject(creation.Site);
    }

    private CsomObject? FindByIdentity(string identity, out CsomFault? fault)
    {
        fault = null;
        if (_sites.TryGetOperation(identity, out var isComplete, out var remaining))
        {
            return CsomTenantMethods.OperationObject(identity, isComplete, remaining);
        }

        if (!_sites.TryGetByOperation(identity, out var site))
        {
            fault = CsomFault.InvalidQuery("No object with this identity exists: poll with the _ObjectIdentity_ of the SpoOperation that CreateSite returned.");
            return null;
        }

        if (_sites.StatusOf(site) == SiteStatus.Error)
        {
            fault = new CsomFault($"The creation of the site {site.Url} failed. Create it again.", -2146233088, "Microsoft.Online.SharePoint.Common.SpoException");
            return null;
        }

        return OperationObject(site);
    }

    private CsomObject TenantObject() => new(
        TenantType,
        $"{Hosting.DeterministicGuid.From("csom-tenant:" + _tenant.TenantId)}|908bed80-a04a-4433-b4a0-883d9847d110:{_tenant.TenantId}\nTenant",
        new KeyValuePair<string, object?>[]
        {
            new("RootSiteUrl", _tenant.SharePointRootUrl),
            new("SharingCapability", 1),
            new("StorageQuota", 1048576L),
            new("StorageQuotaAllocated", 0L),
        });

    private CsomObject OperationObject(SiteRecord site)
    {
        var delay = site.ReadyAt - site.CreatedAt;
        var pollingInterval = delay <= TimeSpan.Zero ? MaxPollingIntervalMs : (int)Math.Clamp(Math.Ceiling(delay.TotalMilliseconds), 1, MaxPollingIntervalMs);
        return new CsomObject(OperationType, site.OperationId, new KeyValuePair<string, object?>[]
        {
            new("HasTimedout", false),
            new("IsComplete", _sites.StatusOf(site) == SiteStatus.Ready),
            new("PollingInterval", pollingInterval),
        });
    }

    private static Dictionary<string, object?> Project(CsomObject target, CsomAction query)
    {
        var result = new Dictionary<string, object?>
        {
            ["_ObjectType_"] = target.ObjectType,
            ["_ObjectIdentity_"] = target.ObjectIdentity,
        };
        foreach (var (name, value) in target.Properties)
        {
            if (query.SelectAllProperties || query.Properties.Contains(name, StringComparer.Ordinal))
            {
                result[name] = value;
            }
        }

        if (target.Children is { } children)
        {
            // ChildItemQuery SelectAllProperties, as the CLI and PnP send it: every item with all its properties.
            result["_Child_Items_"] = children.Select(c => Project(c, AllProperties)).ToArray();
        }

        return result;
    }
}
