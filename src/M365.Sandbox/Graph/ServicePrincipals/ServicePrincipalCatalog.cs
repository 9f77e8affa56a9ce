using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The tenant's service principals: the well-known Microsoft ones, the tenant's own registered apps (the seed), then
/// <c>generatedCount</c> line-of-business apps.
/// Generated objects are computed from their index when asked for; only their ids are kept (built once, on first
/// use), so 100,000 principals cost a few megabytes and any page is an O(1) seek. Principals created through Graph
/// (<see cref="TryAdd"/>) come last, in creation order; only those can be removed.
/// </summary>
public sealed class ServicePrincipalCatalog
{
    private static readonly DateTimeOffset FirstCreated = new(2019, 1, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyList<ServicePrincipal> _wellKnown;
    private readonly int _generatedCount;
    private readonly Guid _tenantId;
    private readonly Lazy<CatalogIndex> _index;
    private readonly Lock _gate = new();
    private volatile ServicePrincipal[] _added = Array.Empty<ServicePrincipal>();

    public ServicePrincipalCatalog(int generatedCount, Guid tenantId, IEnumerable<ServicePrincipal>? tenantApps = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(generatedCount);
        _generatedCount = generatedCount;
        _tenantId = tenantId;
        var wellKnown = WellKnownServicePrincipals.Create(tenantId).ToList();
        foreach (var app in tenantApps ?? Enumerable.Empty<ServicePrincipal>())
        {
            // A seeded app that is also a well-known one (PnP Management Shell) keeps the tenant's object id.
            var known = wellKnown.FindIndex(w => w.AppId == app.AppId);
            if (known >= 0)
            {
                wellKnown[known] = wellKnown[known] with { Id = app.Id };
            }
            else
            {
                wellKnown.Add(app);
            }
        }

        _wellKnown = wellKnown;
        _index = new Lazy<CatalogIndex>(BuildIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many service principals the tenant has.</summary>
    public int Count => _wellKnown.Count + _generatedCount + _added.Length;

    /// <summary>The principal at a position of the listing order (well-known first).</summary>
    public ServicePrincipal this[int position]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Count);
            var fixedCount = _wellKnown.Count + _generatedCount;
            return position < _wellKnown.Count ? _wellKnown[position]
                : position < fixedCount ? Generate(position - _wellKnown.Count)
                : _added[position - fixedCount];
        }
    }

    public bool TryFindById(Guid id, out int position)
    {
        if (_index.Value.ById.TryGetValue(id, out position))
        {
            return true;
        }

        position = AddedPosition(sp => sp.Id == id);
        return position >= 0;
    }

    /// <summary>The principal with this object id, or null.</summary>
    public ServicePrincipal? FindById(Guid id) => TryFindById(id, out var position) ? this[position] : null;

    /// <summary>Positions, in listing order, of the principals with this app id (at most one).</summary>
    public IReadOnlyList<int> FindByAppId(Guid appId)
    {
        if (_index.Value.ByAppId.TryGetValue(appId, out var position))
        {
            return new[] { position };
        }

        var added = AddedPosition(sp => sp.AppId == appId);
        return added >= 0 ? new[] { added } : Array.Empty<int>();
    }

    /// <summary>Positions, in listing order, of the principals with exactly this display name (case-insensitive, as Graph).</summary>
    public IReadOnlyList<int> FindByDisplayName(string displayName)
    {
        var indexed = _index.Value.ByDisplayName.TryGetValue(displayName, out var positions) ? positions : Array.Empty<int>();
        var added = _added;
        var fixedCount = _wellKnown.Count + _generatedCount;
        var extra = Enumerable.Range(0, added.Length).Where(i => string.Equals(added[i].DisplayName, displayName, StringComparison.OrdinalIgnoreCase)).Select(i => fixedCount + i).ToArray();
        return extra.Length == 0 ? indexed : indexed.Concat(extra).ToArray();
    }

    /// <summary>Adds a principal created through Graph; false when the app already has one.</summary>
    public bool TryAdd(ServicePrincipal servicePrincipal)
    {
        lock (_gate)
        {
            if (FindByAppId(servicePrincipal.AppId).Count > 0)
            {
                return false;
            }

            _added = _added.Append(servicePrincipal).ToArray();
            return true;
        }
    }

    /// <summary>Removes a principal created through Graph; false for any other (seeded, Microsoft's, generated).</summary>
    public bool TryRemove(Guid id)
    {
        lock (_gate)
        {
            var remaining = _added.Where(sp => sp.Id != id).ToArray();
            var removed = remaining.Length != _added.Length;
            _added = remaining;
            return removed;
        }
    }

    /// <summary>Whether the principal was created through Graph (and so may be deleted).</summary>
    public bool IsAdded(Guid id) => _added.Any(sp => sp.Id == id);

    /// <summary>Positions, in listing order, of the principals a filter matches (a scan: for what no index answers).</summary>
    public IReadOnlyList<int> FindAll(Func<ServicePrincipal, bool> predicate)
    {
        var positions = new List<int>();
        var added = _added;
        var fixedCount = _wellKnown.Count + _generatedCount;
        for (var position = 0; position < fixedCount + added.Length; position++)
        {
            if (predicate(position < fixedCount ? this[position] : added[position - fixedCount]))
            {
                positions.Add(position);
            }
        }

        return positions;
    }

    private int AddedPosition(Func<ServicePrincipal, bool> match)
    {
        var added = _added;
        var index = Array.FindIndex(added, sp => match(sp));
        return index < 0 ? -1 : _wellKnown.Count + _generatedCount + index;
    }

    /// <summary>Builds the index now instead of on the first lookup (a warm-up for benchmarks and hosts).</summary>
    public void EnsureIndexed() => _ = _index.Value;

    private ServicePrincipal Generate(int index)
    {
        var ids = _index.Value;
        var appId = ids.GeneratedAppIds[index];
        var name = GeneratedServicePrincipalNames.For(index);
        var area = GeneratedServicePrincipalNames.AreaOf(index);
        var multiTenant = index % 4 == 3;

        // Every third app publishes an app role, every fifth a delegated scope: listings carry mixed shapes, as real ones do.
        var roles = index % 3 == 0
            ? new[] { new AppRoleDefinition(DeterministicGuid.From($"sp-role:{index}"), area + ".Read.All", $"Read all {area.ToLowerInvariant()} data", $"Allows the app to read all {area.ToLowerInvariant()} data without a signed-in user.") }
            : Array.Empty<AppRoleDefinition>();
        var scopes = index % 5 == 0
            ? new[] { new PermissionScopeDefinition(DeterministicGuid.From($"sp-scope:{index}"), "user_impersonation", $"Access {name}", $"Allows the app to access {name} on behalf of the signed-in user.", "User") }
            : Array.Empty<PermissionScopeDefinition>();

        return new ServicePrincipal(
            ids.GeneratedIds[index],
            appId,
            name,
            name,
            AccountEnabled: index % 50 != 49,
            _tenantId,
            new[] { "api://" + appId.ToString("D"), appId.ToString("D") },
            multiTenant ? new[] { "WindowsAzureActiveDirectoryIntegratedApp", "HideApp" } : new[] { "WindowsAzureActiveDirectoryIntegratedApp" },
            multiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg",
            roles,
            scopes,
            FirstCreated.AddMinutes(index * 37L));
    }

    private CatalogIndex BuildIndex()
    {
        var ids = new Guid[_generatedCount];
        var appIds = new Guid[_generatedCount];
        var byId = new Dictionary<Guid, int>(Count);
        var byAppId = new Dictionary<Guid, int>(Count);
        var byName = new Dictionary<string, List<int>>(Count, StringComparer.OrdinalIgnoreCase);
        var tenant = _tenantId.ToString("N");

        for (var position = 0; position < _wellKnown.Count; position++)
        {
            var sp = _wellKnown[position];
            Add(position, sp.Id, sp.AppId, sp.DisplayName);
        }

        for (var index = 0; index < _generatedCount; index++)
        {
            ids[index] = DeterministicGuid.From($"sp:{tenant}:{index}");
            appIds[index] = DeterministicGuid.From($"app:{tenant}:{index}");
            Add(_wellKnown.Count + index, ids[index], appIds[index], GeneratedServicePrincipalNames.For(index));
        }

        return new CatalogIndex(ids, appIds, byId, byAppId, byName.ToDictionary(p => p.Key, p => (IReadOnlyList<int>)p.Value.ToArray(), StringComparer.OrdinalIgnoreCase));

        void Add(int position, Guid id, Guid appId, string name)
        {
            byId[id] = position;
            byAppId[appId] = position;
            if (!byName.TryGetValue(name, out var list))
            {
                byName[name] = list = new List<int>(1);
            }

            list.Add(position);
        }
    }

    private sealed record CatalogIndex(
        Guid[] GeneratedIds,
        Guid[] GeneratedAppIds,
        Dictionary<Guid, int> ById,
        Dictionary<Guid, int> ByAppId,
        Dictionary<string, IReadOnlyList<int>> ByDisplayName);
}
