namespace M365.Sandbox.Directory;

/// <summary>
/// The consents given through Graph: delegated oauth2PermissionGrants and appRoleAssignments, between service
/// principals. The resource's app id and the role's value are resolved when the grant is made, so sign-ins read them
/// without the service principal catalog. Seeded apps' seeded and consent-page consents are not stored here: Graph lists
/// them beside these through Graph.Grants.SeededConsentView. Thread-safe.
/// </summary>
public sealed class PermissionGrantStore
{
    public const string AllPrincipals = "AllPrincipals";
    public const string Principal = "Principal";

    private readonly Lock _gate = new();
    private readonly List<PermissionGrant> _grants = new();
    private readonly List<AppRoleAssignment> _assignments = new();

    public IReadOnlyList<PermissionGrant> Grants()
    {
        lock (_gate)
        {
            return _grants.ToArray();
        }
    }

    public PermissionGrant? FindGrant(string id) => Grants().FirstOrDefault(g => g.Id == id);

    /// <summary>Adds the grant, or returns false when one for the same client, resource and principal exists.</summary>
    public bool TryAdd(PermissionGrant grant)
    {
        lock (_gate)
        {
            if (_grants.Any(g => g.ClientId == grant.ClientId && g.ResourceId == grant.ResourceId && g.ConsentType == grant.ConsentType && g.PrincipalId == grant.PrincipalId))
            {
                return false;
            }

            _grants.Add(grant);
            return true;
        }
    }

    public PermissionGrant? UpdateScope(string id, string scope)
    {
        lock (_gate)
        {
            var index = _grants.FindIndex(g => g.Id == id);
            if (index < 0)
            {
                return null;
            }

            return _grants[index] = _grants[index] with { Scope = scope };
        }
    }

    public bool RemoveGrant(string id)
    {
        lock (_gate)
        {
            return _grants.RemoveAll(g => g.Id == id) > 0;
        }
    }

    public IReadOnlyList<AppRoleAssignment> Assignments()
    {
        lock (_gate)
        {
            return _assignments.ToArray();
        }
    }

    /// <summary>Adds the assignment, or returns false when the principal already has that role on that resource.</summary>
    public bool TryAdd(AppRoleAssignment assignment)
    {
        lock (_gate)
        {
            if (_assignments.Any(a => a.PrincipalId == assignment.PrincipalId && a.ResourceId == assignment.ResourceId && a.AppRoleId == assignment.AppRoleId))
            {
                return false;
            }

            _assignments.Add(assignment);
            return true;
        }
    }

    public bool RemoveAssignment(string id)
    {
        lock (_gate)
        {
            return _assignments.RemoveAll(a => a.Id == id) > 0;
        }
    }

    /// <summary>Drops every grant and assignment a service principal gives or holds, as deleting it does.</summary>
    public void RemoveServicePrincipal(Guid servicePrincipalId)
    {
        lock (_gate)
        {
            _grants.RemoveAll(g => g.ClientId == servicePrincipalId || g.ResourceId == servicePrincipalId);
            _assignments.RemoveAll(a => a.PrincipalId == servicePrincipalId || a.ResourceId == servicePrincipalId);
        }
    }

    /// <summary>The scopes granted tenant-wide to a client on a resource app (empty when none).</summary>
    public IReadOnlyList<string> DelegatedScopes(Guid clientServicePrincipalId, Guid resourceAppId) => Grants()
        .Where(g => g.ClientId == clientServicePrincipalId && g.ResourceAppId == resourceAppId && g.ConsentType == AllPrincipals)
        .SelectMany(g => g.Scopes).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The values of the app roles a service principal holds on a resource app (empty when none).</summary>
    public IReadOnlyList<string> AppRoles(Guid servicePrincipalId, Guid resourceAppId) => Assignments()
        .Where(a => a.PrincipalId == servicePrincipalId && a.ResourceAppId == resourceAppId)
        .Select(a => a.RoleValue).Distinct(StringComparer.Ordinal).ToArray();
}

/// <summary>An oauth2PermissionGrant: delegated <see cref="Scope"/> (space-separated) of a resource for a client.</summary>
public sealed record PermissionGrant(string Id, Guid ClientId, string ConsentType, Guid? PrincipalId, Guid ResourceId, Guid ResourceAppId, string Scope)
{
    public IEnumerable<string> Scopes => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>An appRoleAssignment of an app role of a resource to a service principal.</summary>
public sealed record AppRoleAssignment(
    string Id,
    Guid PrincipalId,
    string PrincipalDisplayName,
    Guid ResourceId,
    string ResourceDisplayName,
    Guid ResourceAppId,
    Guid AppRoleId,
    string RoleValue,
    DateTimeOffset CreatedDateTime);
