using System;

namespace M365.Core.Services.Graph
{
    /// <summary>One service principal to look up: by application (client) id or by object id.</summary>
    public sealed class ServicePrincipalLookup
    {
        private ServicePrincipalLookup(bool byAppId, Guid value)
        {
            IsAppId = byAppId;
            Value = value;
        }

        /// <summary>True for a lookup by app id, false for one by object id.</summary>
        public bool IsAppId { get; }

        /// <summary>The id looked up.</summary>
        public Guid Value { get; }

        /// <summary>A lookup by application (client) id.</summary>
        /// <param name="appId">The app id.</param>
        public static ServicePrincipalLookup ByAppId(Guid appId) => new ServicePrincipalLookup(true, appId);

        /// <summary>A lookup by object id.</summary>
        /// <param name="objectId">The object id.</param>
        public static ServicePrincipalLookup ById(Guid objectId) => new ServicePrincipalLookup(false, objectId);

        /// <inheritdoc />
        public override string ToString() => Value.ToString();
    }
}
