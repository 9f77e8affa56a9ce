using System;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
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

            string tenant = string.IsNullOrWhiteSpace(options.Tenant)
                ? _transport.Sandbox?.TenantId ?? "organizations"
                : options.Tenant!.Trim();
            var resources = new ResourceResolver(options.Cloud, _transport.Sandbox?.TenantName);
            ISignInFlow flow = SignInFlowFactory.Create(options, tenant, _transport, _time, resources);
            M365Resource firstResource = flow is StaticTokenFlow staticFlow ? staticFlow.Token.Resource : resources.Graph;

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
                        $"The sign-in did not finish within {options.Timeout.TotalMinutes:0.#} minutes.",
                        "Run Connect-M365 again and finish the sign-in in time.",
                        innerException: ex);
                }
            }

            var store = new ResourceTokenStore(flow, _time, _storeOptions);
            store.Seed(token);
            string identity = flow.Identity ?? token.GetString("upn") ?? options.ResolveAppId();
            string? tenantDomain = tenant.IndexOf('.') > 0 ? tenant : null;
            bool appFromToken = options.AuthenticationType == AuthenticationType.ManagedIdentity || options.AuthenticationType == AuthenticationType.AccessToken;
            var (chosenAppId, appIdSource) = appFromToken ? (token.GetString("appid") ?? token.GetString("azp"), AppIdSource.Token) : options.ResolveAppIdWithSource();
            string? appId = chosenAppId;
            return new Connection(
                options.ConnectionName ?? identity + "@" + (tenantDomain ?? token.TenantId ?? tenant),
                options.Cloud,
                token.TenantId ?? (Guid.TryParse(tenant, out _) ? tenant : null),
                tenantDomain,
                appId,
                options.AuthenticationType,
                identity,
                _time.GetUtcNow(),
                store,
                resources,
                flow,
                appIdSource);
        }
    }
}
