using System;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Clouds;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Connections
{
    /// <summary>
    /// A signed-in session with one tenant: who signed in, how, and the multi-resource token store that serves every
    /// Microsoft 365 resource from that one sign-in. Create it with <see cref="ConnectionFactory"/>. Thread-safe.
    /// <see cref="ToString"/> never shows a token.
    /// </summary>
    public sealed class Connection
    {
        private readonly ISignInFlow _flow;
        private readonly PersistentTokenCache? _persisted;
        private volatile ResourceResolver _resources;
        private int _appIdChangeReported;
        private ResourceRequestSender? _requests;
        private RequestSettings _ownSettings = RequestSettings.None;
        private RequestSettings _sessionSettings = RequestSettings.None;
        private TimeSpan _discoveryTimeout = TimeSpan.FromSeconds(60);

        internal Connection(
            string name,
            CloudEnvironment cloud,
            string? tenantId,
            string? tenantDomain,
            string? appId,
            AuthenticationType authType,
            string identity,
            DateTimeOffset connectedOn,
            ResourceTokenStore tokens,
            ResourceResolver resources,
            ISignInFlow flow,
            AppIdSource appIdSource,
            PersistentTokenCache? persisted = null)
        {
            _persisted = persisted;
            TokenCacheWarning = persisted?.WarningFor(name);
            AppIdSource = appIdSource;
            Name = name;
            Cloud = cloud;
            TenantId = tenantId;
            TenantDomain = tenantDomain;
            AppId = appId;
            AuthType = authType;
            Identity = identity;
            ConnectedOn = connectedOn;
            Tokens = tokens;
            _resources = resources;
            _flow = flow;
        }

        /// <summary>The connection's name (for -Connection and display).</summary>
        public string Name { get; }

        /// <summary>The cloud.</summary>
        public CloudEnvironment Cloud { get; }

        /// <summary>The tenant id (from the first token's <c>tid</c> claim), or null when the token did not say.</summary>
        public string? TenantId { get; }

        /// <summary>The tenant domain given at sign-in (e.g. contoso.onmicrosoft.com), or null.</summary>
        public string? TenantDomain { get; }

        /// <summary>The application (client) id, or null for a managed identity or a ready access token.</summary>
        public string? AppId { get; }

        /// <summary>How the connection signed in.</summary>
        public AuthenticationType AuthType { get; }

        /// <summary>The user's UPN or the application's name.</summary>
        public string Identity { get; }

        /// <summary>When the connection signed in.</summary>
        public DateTimeOffset ConnectedOn { get; }

        /// <summary>True once the connection was disconnected: it then refuses every request (ConnectionClosed).</summary>
        public bool IsClosed => Tokens.IsClosed;

        /// <summary>True when the connection signed in as an application (no user).</summary>
        public bool IsAppOnly => _flow.IsAppOnly;

        /// <summary>The sign-in flow (tests look at its federated assertions).</summary>
        internal ISignInFlow Flow => _flow;

        /// <summary>The connection's token store.</summary>
        public ResourceTokenStore Tokens { get; }

        /// <summary>Resolves URLs and names to resources in this connection's cloud and SharePoint tenant.</summary>
        public ResourceResolver Resources => _resources;

        /// <summary>The session transport the connection signed in over; service requests share its HttpClient. Set by <see cref="ConnectionFactory"/>.</summary>
        internal HttpTransport? Transport { get; set; }

        /// <summary>The clock the connection was created with (drives retry delays too).</summary>
        internal TimeProvider Time { get; set; } = TimeProvider.System;

        /// <summary>
        /// Sends service requests with this connection's tokens through the resilient pipeline (<see cref="RetryOptions"/>),
        /// one Polly pipeline per resource. Created on first use, then shared by every caller of this connection; made anew
        /// when the request settings change, so later calls use them while calls under way finish with theirs.
        /// </summary>
        /// <exception cref="InvalidOperationException">The connection was not created by <see cref="ConnectionFactory"/>.</exception>
        public ResourceRequestSender Requests => LazyInitializer.EnsureInitialized(ref _requests, () => ResourceRequestSender.Create(this, RetryOptions))!;

        /// <summary>The request settings of this connection itself (Set-M365RequestSetting -Connection); empty when none.</summary>
        public RequestSettings RequestSettings => _ownSettings;

        /// <summary>The session's request settings this connection falls back on; empty when none.</summary>
        public RequestSettings SessionRequestSettings => _sessionSettings;

        /// <summary>The retry options every request of this connection uses: the defaults, then the session's settings, then its own.</summary>
        public HttpRetryOptions RetryOptions => _ownSettings.ApplyTo(_sessionSettings.ApplyTo(new HttpRetryOptions()));

        /// <summary>Sets this connection's own request settings (null or empty: none, the session's apply).</summary>
        /// <param name="settings">The settings.</param>
        public void SetRequestSettings(RequestSettings? settings)
        {
            _ownSettings = settings ?? RequestSettings.None;
            Volatile.Write(ref _requests, null);
        }

        /// <summary>Sets the session's request settings this connection falls back on (null: none).</summary>
        /// <param name="settings">The settings.</param>
        public void SetSessionRequestSettings(RequestSettings? settings)
        {
            _sessionSettings = settings ?? RequestSettings.None;
            Volatile.Write(ref _requests, null);
        }

        /// <summary>Records the SharePoint tenant once it is discovered (e.g. from Graph <c>/sites/root</c>), enabling the SharePoint names.</summary>
        /// <param name="tenantNameOrUrl">A tenant name (contoso) or tenant URL.</param>
        public void SetSharePointTenant(string tenantNameOrUrl) => _resources = _resources.WithSharePointTenant(tenantNameOrUrl);

        /// <summary>
        /// Resolves a resource name (Graph, SharePoint, SharePointAdmin, …) or an https URL. The SharePoint names need the
        /// tenant's SharePoint host: when it is not known yet it is learned once from Graph, <c>GET /v1.0/sites/root?$select=webUrl</c>,
        /// as the CLI for Microsoft 365 does.
        /// </summary>
        /// <param name="nameOrUrl">The resource name or URL.</param>
        /// <param name="sender">The request sender to use for the discovery (e.g. one that reports verbose lines); null for <see cref="Requests"/>.</param>
        /// <param name="cancellationToken">Cancels the discovery request.</param>
        /// <exception cref="M365Exception">The name is unknown, or the SharePoint tenant could not be learned (<see cref="ResourceErrorIds.SharePointTenantUnknown"/>).</exception>
        public async Task<M365Resource> ResolveResourceAsync(string nameOrUrl, ResourceRequestSender? sender = null, CancellationToken cancellationToken = default)
        {
            try
            {
                return Resources.FromName(nameOrUrl);
            }
            catch (M365Exception ex) when (ex.ErrorId == ResourceErrorIds.SharePointTenantUnknown)
            {
                await DiscoverSharePointTenantAsync(nameOrUrl, sender ?? Requests, cancellationToken).ConfigureAwait(false);
                return Resources.FromName(nameOrUrl);
            }
        }

        /// <summary>
        /// The total time learning the SharePoint tenant from Graph may take, retries included (default 60 seconds, at most
        /// 10 minutes). Past it the call fails with <c>RequestTimedOut</c> instead of waiting on a slow Graph.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Not from 1 second to 10 minutes.</exception>
        public TimeSpan DiscoveryTimeout
        {
            get => _discoveryTimeout;
            set => _discoveryTimeout = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromMinutes(10)
                ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "DiscoveryTimeout must be from 1 second to 10 minutes.");
        }

        private async Task DiscoverSharePointTenantAsync(string requestedName, ResourceRequestSender sender, CancellationToken cancellationToken)
        {
            var siteRoot = new Uri(Resources.Graph.Origin, "v1.0/sites/root?$select=webUrl");
            string? webUrl;
            TimeSpan budget = _discoveryTimeout;
            using CancellationTokenSource timeout = Time.CreateCancellationTokenSource(budget);
            using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var document = await sender.GetJsonAsync(siteRoot, linked.Token).ConfigureAwait(false);
                webUrl = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && document.RootElement.TryGetProperty("webUrl", out var value)
                    && value.ValueKind == System.Text.Json.JsonValueKind.String
                        ? value.GetString()
                        : null;
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new M365Exception(
                    HttpErrorIds.RequestTimedOut,
                    $"Learning the SharePoint tenant of connection '{Name}' from Microsoft Graph took longer than {Durations.Describe(budget)}.",
                    "Connect with -Tenant <tenant>.onmicrosoft.com, or pass the SharePoint URL (https://<tenant>.sharepoint.com) instead of the name, or try again later.",
                    requestedName,
                    ex);
            }
            catch (M365HttpException ex)
            {
                throw new M365Exception(
                    ResourceErrorIds.SharePointTenantUnknown,
                    $"The SharePoint tenant of connection '{Name}' is not known, and asking Microsoft Graph for it failed: {ex.Message}",
                    "Pass the SharePoint URL (https://<tenant>.sharepoint.com) instead of the name, or connect with -Tenant <tenant>.onmicrosoft.com.",
                    requestedName,
                    ex);
            }

            if (webUrl is null || !Uri.TryCreate(webUrl, UriKind.Absolute, out var root))
            {
                throw new M365Exception(
                    ResourceErrorIds.SharePointTenantUnknown,
                    $"Microsoft Graph did not name the SharePoint root site of connection '{Name}'.",
                    "Pass the SharePoint URL (https://<tenant>.sharepoint.com) instead of the name.",
                    requestedName);
            }

            SetSharePointTenant(root.GetLeftPart(UriPartial.Authority));
        }

        /// <summary>Gets the token a request to <paramref name="requestUrl"/> needs.</summary>
        /// <param name="requestUrl">The absolute https URL the token will be sent to.</param>
        /// <param name="forceRefresh">True after the resource answered 401 to the cached token.</param>
        /// <param name="cancellationToken">Cancels this caller's wait.</param>
        public Task<AccessToken> GetTokenAsync(Uri requestUrl, bool forceRefresh = false, CancellationToken cancellationToken = default) =>
            Tokens.GetTokenAsync(Resources.FromUrl(requestUrl), forceRefresh, cancellationToken);

        /// <summary>Where MSAL's token cache of this connection lives: in memory, or persisted by -PersistLogin.</summary>
        public TokenCacheProtection TokenCacheProtection => _persisted?.Protection ?? TokenCacheProtection.InMemory;

        /// <summary>The warning to show when the persisted cache is an unencrypted file (-AllowUnencryptedTokenCache), else null.</summary>
        public string? TokenCacheWarning { get; }

        /// <summary>
        /// Forgets every token of this connection: in the store, in MSAL's cache and, for a persisted connection, its cache
        /// (keyring entry or file) and its connection record.
        /// </summary>
        /// <param name="cancellationToken">Cancels the removal from MSAL's cache; the persisted files are deleted regardless.</param>
        public async Task DisconnectAsync(CancellationToken cancellationToken = default)
        {
            // Closed before MSAL forgets the account: a caller in between would otherwise refill a slot from MSAL's cache.
            Tokens.Close();
            try
            {
                await _flow.SignOutAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _persisted?.Delete();
            }
        }

        /// <summary>For a federated sign-in, where its tokens come from ("GitHub Actions", "the token file '…'"); else null.</summary>
        public string? FederatedTokenSource { get; internal set; }

        /// <summary>Where <see cref="AppId"/> came from.</summary>
        public AppIdSource AppIdSource { get; }

        /// <summary>
        /// When the app id came from the environment and the environment now names another app, returns that app id,
        /// once per connection (the caller warns; the connection keeps working with its own app). Otherwise null.
        /// </summary>
        public string? TakeAppIdChange()
        {
            if (AppIdSource != AppIdSource.AadAppIdVariable && AppIdSource != AppIdSource.EntraAppIdVariable && AppIdSource != AppIdSource.Default && AppIdSource != AppIdSource.Setting)
            {
                return null;
            }

            var now = SignInOptions.FromEnvironment();
            if (now is null || string.Equals(now.Value.AppId, AppId, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return Interlocked.Exchange(ref _appIdChangeReported, 1) == 0 ? now.Value.AppId : null;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {Identity} ({AuthType}, {Cloud.Name}, tenant {TenantId ?? TenantDomain ?? "unknown"})";
    }
}
