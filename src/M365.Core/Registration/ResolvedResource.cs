using System.Collections.Generic;

namespace M365.Core.Registration
{
    /// <summary>A resource as the tenant has it: its service principal's id and the delegated scopes (or, app-only, the app roles) asked of it, by id.</summary>
    public sealed class ResolvedResource
    {
        internal ResolvedResource(RegisteredResource resource, string servicePrincipalId, IReadOnlyList<(string Name, string Id)> scopes, bool appRoles = false)
        {
            AppRoles = appRoles;
            Resource = resource;
            ServicePrincipalId = servicePrincipalId;
            Scopes = scopes;
        }

        public RegisteredResource Resource { get; }

        /// <summary>The object id of the resource's service principal in the tenant (the grants' resourceId).</summary>
        public string ServicePrincipalId { get; }

        /// <summary>True when <see cref="Scopes"/> are app roles (application permissions: requiredResourceAccess type Role, granted by appRoleAssignments).</summary>
        public bool AppRoles { get; }

        /// <summary>requiredResourceAccess's type of these permissions: <c>Role</c> or <c>Scope</c>.</summary>
        public string AccessType => AppRoles ? "Role" : "Scope";

        /// <summary>The scopes (or app roles) asked for, with the ids the tenant gives them (requiredResourceAccess).</summary>
        public IReadOnlyList<(string Name, string Id)> Scopes { get; }

        /// <summary>The scopes as a grant's <c>scope</c> value: names separated by spaces.</summary>
        public string ScopeText => string.Join(" ", System.Linq.Enumerable.Select(Scopes, s => s.Name));
    }
}
