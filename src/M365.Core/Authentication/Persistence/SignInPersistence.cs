using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using M365.Core.Clouds;
using M365.Core.Http;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>The steps <see cref="Connections.ConnectionFactory"/> takes to persist a sign-in and to resume one.</summary>
    internal static class SignInPersistence
    {
        /// <summary>
        /// Before the sign-in: refuses persistence for app-only sign-in and in Azure Automation, and checks that the storage
        /// works, so a missing keyring fails before the user goes through a device code. Returns null when not persisting.
        /// </summary>
        public static async Task<PersistenceOptions?> PrepareAsync(SignInOptions options, CancellationToken cancellationToken)
        {
            PersistenceOptions? persistence = options.Persistence;
            if (persistence is null || !persistence.Enabled)
            {
                return null;
            }

            if (options.AuthenticationType != AuthenticationType.DeviceCode && options.AuthenticationType != AuthenticationType.Credential && options.AuthenticationType != AuthenticationType.Interactive)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.SignInOptionsInvalid,
                    $"-PersistLogin keeps a user's sign-in; a {options.AuthenticationType} sign-in is never persisted (its secret, key or token must not be written).",
                    "Drop -PersistLogin; an app-only sign-in simply runs Connect-M365 again with its certificate, secret or managed identity.",
                    target: options.AuthenticationType);
            }

            PersistentTokenCache probe = await PersistentTokenCache
                .OpenAsync(persistence, CachePaths.Probe(persistence), persistence.AllowUnencrypted, cancellationToken)
                .ConfigureAwait(false);
            probe.Delete();
            return persistence;
        }

        /// <summary>After the sign-in, once the connection's name is known: moves the cache into its storage and writes the record.</summary>
        public static async Task<PersistentTokenCache> SaveAsync(
            PersistenceOptions persistence,
            ISignInFlow flow,
            SignInOptions options,
            string name,
            string tenant,
            string? tenantId,
            string? tenantDomain,
            bool usesSandbox,
            DateTimeOffset now,
            CancellationToken cancellationToken)
        {
            var publicClient = (PublicClientFlow)flow;
            IAccount account = publicClient.Account ?? throw new InvalidOperationException("The sign-in left no account to persist.");
            CachePaths paths = CachePaths.For(persistence, name);
            PersistentTokenCache cache = await PersistentTokenCache
                .OpenAsync(persistence, paths, persistence.AllowUnencrypted, cancellationToken)
                .ConfigureAwait(false);
            await cache.AttachAsync(publicClient.App, carryOver: true).ConfigureAwait(false);
            (string appId, AppIdSource appIdSource) = options.ResolveAppIdWithSource();
            var record = new PersistedConnection(
                name,
                options.Cloud.Name,
                tenant,
                tenantId,
                tenantDomain,
                appId,
                appIdSource,
                options.AuthenticationType,
                account.Username,
                account.HomeAccountId.Identifier,
                cache.Protection,
                usesSandbox,
                usesSandbox ? persistence.SandboxDescriptorPath : null,
                now);
            PersistedConnections.Save(record, paths);
            return cache;
        }

        /// <summary>
        /// In a new session: opens the persisted cache of <paramref name="record"/> and finds its account, ready for a silent
        /// token request.
        /// </summary>
        /// <exception cref="M365Exception">The record does not fit this transport, or the cache holds no account (ReauthenticationRequired).</exception>
        public static async Task<(PublicClientFlow Flow, PersistentTokenCache Cache, CloudEnvironment Cloud)> ReopenAsync(
            PersistedConnection record,
            PersistenceOptions persistence,
            HttpTransport transport,
            CancellationToken cancellationToken)
        {
            if (record.UsesSandbox != transport.IsSandbox)
            {
                // The record never chooses the transport: a record written with -Sandbox must not send a real refresh
                // token to a loopback listener, nor a sandbox one to Microsoft.
                throw new M365Exception(
                    PersistenceErrorIds.PersistedConnectionInvalid,
                    record.UsesSandbox
                        ? $"The persisted sign-in '{record.Name}' was made with the sandbox tenant (-Sandbox), and this Connect-M365 talks to the real Microsoft cloud. Nothing was sent."
                        : $"The persisted sign-in '{record.Name}' was made with the real Microsoft cloud, and this Connect-M365 talks to the sandbox tenant (-Sandbox). Nothing was sent.",
                    record.UsesSandbox ? $"Resume it with Connect-M365 -Sandbox -Name '{record.Name}'." : $"Resume it without -Sandbox: Connect-M365 -Name '{record.Name}'.",
                    record.Name);
            }

            if (!CloudEnvironment.TryGet(record.Cloud, out CloudEnvironment? cloud))
            {
                throw PersistedConnections.Damaged(record.Name, $"Its record names an unknown cloud '{record.Cloud}'.", null);
            }

            // A record the user once allowed to be plaintext stays so; an encrypted one is never downgraded silently.
            bool allowUnencrypted = persistence.AllowUnencrypted || record.Protection == TokenCacheProtection.Unencrypted;
            PersistentTokenCache cache = await PersistentTokenCache
                .OpenAsync(persistence, CachePaths.For(persistence, record.Name), allowUnencrypted, cancellationToken)
                .ConfigureAwait(false);
            IPublicClientApplication app = SignInFlowFactory.PublicClient(record.AppId, MsalSetup.Authority(cloud, record.TenantId ?? record.Tenant), transport);
            await cache.AttachAsync(app, carryOver: false).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            IEnumerable<IAccount> accounts;
            try
            {
                accounts = await app.GetAccountsAsync().ConfigureAwait(false);
            }
            catch (MsalClientException ex)
            {
                // MSAL could not read the cache it was given (a damaged or foreign file): its own text names a serializer.
                throw PersistedConnections.Damaged(record.Name, $"Its token cache '{cache.Paths.CacheFile}' could not be read ({ex.ErrorCode}).", ex);
            }

            IAccount? account = accounts.FirstOrDefault(a => string.Equals(a.HomeAccountId?.Identifier, record.AccountId, StringComparison.OrdinalIgnoreCase));
            if (account is null)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.ReauthenticationRequired,
                    $"The persisted token cache of connection '{record.Name}' holds no sign-in for {record.Identity} any more.",
                    "Run Connect-M365 -PersistLogin again.",
                    target: record.Name);
            }

            return (PublicClientFlow.ForAccount(app, account), cache, cloud);
        }
    }
}
