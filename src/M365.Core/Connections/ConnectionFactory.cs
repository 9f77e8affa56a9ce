using System;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Authentication.Persistence;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Connections
{
    /// <summary>Signs in and returns a <see cref="Connection"/>. One factory per session transport.</summary>
    public sealed class ConnectionFactory
    {
        private readonly HttpTransport _transport;
        private readonly TimeProvider _time;
        private readonly TokenStoreOptions? _storeOptions;

        /// <summary>Creates the factory.</summary>
        /// <param name="transport">The session's HTTP transport; MSAL's traffic goes through it too.</param>
        /// <param name="timeProvider">The clock; null for the system clock.</param>
        /// <param name="storeOptions">Token store timing; null for the defaults.</param>
        public ConnectionFactory(HttpTransport transport, TimeProvider? timeProvider = null, TokenStoreOptions? storeOptions = null)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            _time = timeProvider ?? TimeProvider.System;
            _storeOptions = storeOptions;
        }

        /// <summary>
        /// Performs the initial sign-in, against Microsoft Graph (so one device-code sign-in then serves every resource
        /// silently), and returns the connection with that token already cached.
        /// </summary>
        /// <param name="options">How to sign in.</param>
        /// <param name="cancellationToken">Cancels the sign-in (e.g. Ctrl+C).</param>
        /// <exception cref="M365AuthenticationException">The sign-in failed or timed out; see its ErrorId.</exception>
        public async Task<Connection> ConnectAsync(SignInOptions options, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            FederatedSetup? federation = FederatedSetup.Resolve(options, _transport.Client);
            string? givenTenant = federation is null ? options.Tenant : federation.Tenant;
            string tenant = string.IsNullOrWhiteSpace(givenTenant)
                ? _transport.Sandbox?.TenantId ?? "organizations"
                : givenTenant!.Trim();
            var resources = new ResourceResolver(options.Cloud);
            ISignInFlow flow = SignInFlowFactory.Create(options, tenant, _transport, _time, resources, federation);
            PersistenceOptions? persistence = await SignInPersistence.PrepareAsync(options, cancellationToken).ConfigureAwait(false);
            M365Resource firstResource = flow is StaticTokenFlow staticFlow ? staticFlow.Token.Resource : resources.Graph;
            if (firstResource.Kind is ResourceKind.SharePoint or ResourceKind.SharePointAdmin or ResourceKind.SharePointMy)
            {
                // A SharePoint token names the tenant's SharePoint host itself.
                resources = resources.WithSharePointTenant(firstResource.Origin.AbsoluteUri);
            }

            AccessToken token;
            using (CancellationTokenSource timeout = _time.CreateCancellationTokenSource(options.Timeout))
            using (CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    token = await flow.SignInAsync(firstResource, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new M365AuthenticationException(
                        AuthenticationErrorIds.SignInTimedOut,
                        $"The sign-in did not finish within {Durations.Describe(options.Timeout)}.",
                        "Run Connect-M365 again and finish the sign-in in time.",
                        innerException: ex);
                }
            }

            var store = new ResourceTokenStore(flow, _time, _storeOptions);
            store.Seed(token);
            string identity = flow.Identity ?? token.GetString("upn") ?? options.ResolveAppId();
            string? tenantDomain = tenant.IndexOf('.') > 0 ? tenant : null;
            bool appFromToken = options.AuthenticationType == AuthenticationType.ManagedIdentity || options.AuthenticationType == AuthenticationType.AccessToken;
            var (chosenAppId, appIdSource) = appFromToken
                ? (token.GetString("appid") ?? token.GetString("azp"), AppIdSource.Token)
                : federation is not null ? (federation.AppId, federation.AppIdSource) : options.ResolveAppIdWithSource();
            string? appId = chosenAppId;
            // A user's UPN already names its tenant; an app or managed identity gets the tenant appended.
            string name = options.ConnectionName ?? (identity.IndexOf('@') > 0 ? identity : ShortName(identity, appId) + "@" + (tenantDomain ?? token.TenantId ?? tenant));
            string? tenantId = token.TenantId ?? (Guid.TryParse(tenant, out _) ? tenant : null);
            PersistentTokenCache? persisted = persistence is null
                ? null
                : await SignInPersistence.SaveAsync(persistence, flow, options, name, tenant, tenantId, tenantDomain, _transport.IsSandbox, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new Connection(
                name,
                options.Cloud,
                tenantId,
                tenantDomain,
                appId,
                options.AuthenticationType,
                identity,
                _time.GetUtcNow(),
                store,
                resources,
                flow,
                appIdSource,
                persisted)
            {
                Transport = _transport,
                Time = _time,
                FederatedTokenSource = federation?.Source.Name,
            };
        }

        /// <summary>An app's name fit for "-Connection name@tenant": no spaces or symbols ("M365 Automation" gives "M365Automation").</summary>
        private static string ShortName(string identity, string? appId)
        {
            var kept = new System.Text.StringBuilder(identity.Length);
            foreach (char c in identity)
            {
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
                {
                    kept.Append(c);
                }
            }

            return kept.Length > 0 ? kept.ToString() : appId ?? "app";
        }

        /// <summary>
        /// Resumes a connection persisted by an earlier session (Connect-M365 -PersistLogin): reopens its token cache and gets a
        /// Graph token silently with the cached account's refresh token. Nothing is shown to the user.
        /// </summary>
        /// <param name="name">The persisted connection's name (see <see cref="PersistedConnections.List"/>).</param>
        /// <param name="persistence">Where the connection was persisted; null for the default directory.</param>
        /// <param name="cancellationToken">Cancels the token request.</param>
        /// <exception cref="M365Exception">
        /// <see cref="PersistenceErrorIds.PersistedConnectionNotFound"/>, <see cref="PersistenceErrorIds.PersistedConnectionInvalid"/>
        /// (including a record made with the sandbox reopened without it, or the reverse), or an <see cref="M365AuthenticationException"/>:
        /// <see cref="AuthenticationErrorIds.ReauthenticationRequired"/> when the cache holds no usable sign-in,
        /// <see cref="AuthenticationErrorIds.TokenCachePersistenceUnavailable"/> when the keyring is gone.
        /// </exception>
        public async Task<Connection> ReconnectAsync(string name, PersistenceOptions? persistence = null, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("The connection name is required.", nameof(name));
            }

            persistence ??= new PersistenceOptions { Enabled = true };
            PersistedConnection record = PersistedConnections.Find(name, persistence);
            var (flow, persisted, cloud) = await SignInPersistence.ReopenAsync(record, persistence, _transport, cancellationToken).ConfigureAwait(false);
            var resources = new ResourceResolver(cloud);
            AccessToken token = await flow.AcquireAsync(resources.Graph, forceRefresh: false, cancellationToken).ConfigureAwait(false);
            var store = new ResourceTokenStore(flow, _time, _storeOptions);
            store.Seed(token);
            PersistedConnections.Save(record.UsedAt(_time.GetUtcNow()), CachePaths.For(persistence, record.Name));
            return new Connection(
                record.Name,
                cloud,
                token.TenantId ?? record.TenantId,
                record.TenantDomain,
                record.AppId,
                record.AuthType,
                flow.Identity ?? record.Identity,
                _time.GetUtcNow(),
                store,
                resources,
                flow,
                record.AppIdSource,
                persisted)
            {
                Transport = _transport,
                Time = _time,
            };
        }
    }
}
