using System.Collections.Generic;

namespace M365.Core.Registration
{
    /// <summary>A resource as the tenant has it: its service principal's id and the delegated scopes asked of it, by id.</summary>
    public sealed class ResolvedResource
    {
        internal ResolvedResource(RegisteredResource resource, string servicePrincipalId, IReadOnlyList<(string Name, string Id)> scopes)
        {
            Resource = resource;
            ServicePrincipalId = servicePrincipalId;
            Scopes = scopes;
        }

        public RegisteredResource Resource { get; }

        /// <summary>The object id of the resource's service principal in the tenant (the grants' resourceId).</summary>
        public string ServicePrincipalId { get; }

        /// <summary>The scopes asked for, with the ids the tenant gives them (requiredResourceAccess).</summary>
        public IReadOnlyList<(string Name, string Id)> Scopes { get; }

        /// <summary>The scopes as a grant's <c>scope</c> value: names separated by spaces.</summary>
        public string ScopeText => string.Join(" ", System.Linq.Enumerable.Select(Scopes, s => s.Name));
    }
}
