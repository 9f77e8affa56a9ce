using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.Groups;

/// <summary>The tenant's Microsoft 365 groups; aliases (mailNickname) are unique, case-insensitively, as in Entra ID.</summary>
public sealed class GroupStore
{
    private readonly object _gate = new();
    private readonly List<GraphGroup> _groups = new();
    private readonly Dictionary<string, GraphGroup> _byAlias = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, GraphGroup> _byId = new();
    private readonly string _domain;
    private readonly TimeProvider _clock;

    public GroupStore(TenantProfile tenant)
    {
        _domain = tenant.Hosts.TenantDomain;
        _clock = tenant.TimeProvider;
    }

    /// <summary>Creates a group, or returns false (and the existing group) when the alias is taken.</summary>
    public bool TryCreate(string displayName, string alias, bool isPublic, string description, string classification, IReadOnlyList<string> owners, out GraphGroup group) =>
        TryCreate(displayName, alias, isPublic, description, classification, owners, isUnified: true, mailEnabled: true, securityEnabled: false, out group);

    /// <summary>Creates a group of any kind (POST /groups), or returns false (and the existing group) when the alias is taken.</summary>
    public bool TryCreate(string displayName, string alias, bool isPublic, string description, string classification, IReadOnlyList<string> owners, bool isUnified, bool mailEnabled, bool securityEnabled, out GraphGroup group)
    {
        lock (_gate)
        {
            if (_byAlias.TryGetValue(alias, out var existing))
            {
                group = existing;
                return false;
            }

            group = new GraphGroup(
                DeterministicGuid.From($"group:{_domain}:{alias.ToLowerInvariant()}"), displayName, alias, $"{alias}@{_domain}",
                description, classification, isPublic, owners.ToArray(), _clock.GetUtcNow(), isUnified, mailEnabled, securityEnabled);
            _groups.Add(group);
            _byAlias[alias] = group;
            _byId[group.Id] = group;
            return true;
        }
    }

    public bool TryGet(Guid id, out GraphGroup group)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out group!);
        }
    }

    /// <summary>Deletes a group (DELETE /groups/{id}); its alias is free again.</summary>
    public bool TryDelete(Guid id)
    {
        lock (_gate)
        {
            if (!_byId.Remove(id, out var group))
            {
                return false;
            }

            _groups.Remove(group);
            _byAlias.Remove(group.MailNickname);
            return true;
        }
    }

    /// <summary>A snapshot of all groups in creation order.</summary>
    public IReadOnlyList<GraphGroup> List()
    {
        lock (_gate)
        {
            return _groups.ToArray();
        }
    }
}
