using System;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// What is remembered of a connection made with -PersistLogin, so a later session can reconnect silently
    /// (Connect-M365 -Name). It holds no token, secret or password: those live only in MSAL's protected cache.
    /// </summary>
    public sealed class PersistedConnection
    {
        internal PersistedConnection(
            string name,
            string cloud,
            string tenant,
            string? tenantId,
            string? tenantDomain,
            string appId,
            AppIdSource appIdSource,
            AuthenticationType authType,
            string identity,
            string accountId,
            TokenCacheProtection protection,
            bool usesSandbox,
            string? sandboxDescriptorPath,
            DateTimeOffset savedOn)
        {
            Name = name;
            Cloud = cloud;
            Tenant = tenant;
            TenantId = tenantId;
            TenantDomain = tenantDomain;
            AppId = appId;
            AppIdSource = appIdSource;
            AuthType = authType;
            Identity = identity;
            AccountId = accountId;
            Protection = protection;
            UsesSandbox = usesSandbox;
            SandboxDescriptorPath = sandboxDescriptorPath;
            SavedOn = savedOn;
        }

        /// <summary>The connection's name (Connect-M365 -Name).</summary>
        public string Name { get; }

        /// <summary>The cloud's name (Public, USGov, USGovDoD, China).</summary>
        public string Cloud { get; }

        /// <summary>The tenant id, or null when the token did not say.</summary>
        public string? TenantId { get; }

        /// <summary>The tenant domain given at sign-in, or null.</summary>
        public string? TenantDomain { get; }

        /// <summary>The public client app id.</summary>
        public string AppId { get; }

        /// <summary>Where the app id came from at sign-in.</summary>
        public AppIdSource AppIdSource { get; }

        /// <summary>How the connection signed in (device code or credential).</summary>
        public AuthenticationType AuthType { get; }

        /// <summary>The signed-in user's name.</summary>
        public string Identity { get; }

        /// <summary>How the token cache is kept.</summary>
        public TokenCacheProtection Protection { get; }

        /// <summary>True when the connection was made through the local sandbox tenant.</summary>
        public bool UsesSandbox { get; }

        /// <summary>The sandbox descriptor the connection was made with, or null.</summary>
        public string? SandboxDescriptorPath { get; }

        /// <summary>When the record was last written: at the sign-in, then at each resume (so: when it was last used).</summary>
        public DateTimeOffset SavedOn { get; }

        /// <summary>The same record, used at <paramref name="now"/>.</summary>
        internal PersistedConnection UsedAt(DateTimeOffset now) => new PersistedConnection(
            Name, Cloud, Tenant, TenantId, TenantDomain, AppId, AppIdSource, AuthType, Identity, AccountId, Protection, UsesSandbox, SandboxDescriptorPath, now);

        /// <summary>The tenant segment of the sign-in authority (a GUID, a domain or organizations).</summary>
        internal string Tenant { get; }

        /// <summary>MSAL's home account id (object id.tenant id), to pick the account out of the cache.</summary>
        internal string AccountId { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {Identity} ({AuthType}, {Cloud}, {Protection} cache)";
    }
}
