namespace M365.Core.Authentication
{
    /// <summary>Stable ids of sign-in and token errors (<see cref="M365AuthenticationException.ErrorId"/>).</summary>
    public static class AuthenticationErrorIds
    {
        /// <summary>The refresh token expired or was revoked (AADSTS700082, 50173, 700084, invalid_grant on refresh).</summary>
        public const string ReauthenticationRequired = "ReauthenticationRequired";

        /// <summary>The app id is not registered in the tenant (AADSTS700016).</summary>
        public const string AppNotFound = "AppNotFound";

        /// <summary>The app is not a public client, so device code and password sign-in need "Allow public client flows" (AADSTS7000218).</summary>
        public const string PublicClientFlowsDisabled = "PublicClientFlowsDisabled";

        /// <summary>Consent for the requested permissions is missing (AADSTS65001).</summary>
        public const string ConsentRequired = "ConsentRequired";

        /// <summary>Multi-factor authentication is required (AADSTS50076, 50079).</summary>
        public const string MfaRequired = "MfaRequired";

        /// <summary>A Conditional Access policy blocked the sign-in (AADSTS53003).</summary>
        public const string ConditionalAccessBlocked = "ConditionalAccessBlocked";

        /// <summary>The client secret is wrong or expired (AADSTS7000215).</summary>
        public const string InvalidClientSecret = "InvalidClientSecret";

        /// <summary>The certificate assertion was rejected (AADSTS700027).</summary>
        public const string InvalidClientCertificate = "InvalidClientCertificate";

        /// <summary>The tenant does not exist (AADSTS90002).</summary>
        public const string TenantNotFound = "TenantNotFound";

        /// <summary>The device code expired before the user finished signing in.</summary>
        public const string DeviceCodeExpired = "DeviceCodeExpired";

        /// <summary>The user declined the device-code sign-in.</summary>
        public const string DeviceCodeDeclined = "DeviceCodeDeclined";

        /// <summary>Yammer accepts only delegated tokens and the connection is app-only.</summary>
        public const string YammerRequiresDelegatedAuth = "YammerRequiresDelegatedAuth";

        /// <summary>The access token given to Connect-M365 -AccessToken has expired or was rejected; it cannot be refreshed.</summary>
        public const string AccessTokenExpired = "AccessTokenExpired";

        /// <summary>A connection made with -AccessToken was asked for another resource than its token's.</summary>
        public const string AccessTokenResourceMismatch = "AccessTokenResourceMismatch";

        /// <summary>The encrypted token cache cannot be used on this machine (e.g. no libsecret on Linux).</summary>
        public const string TokenCachePersistenceUnavailable = "TokenCachePersistenceUnavailable";

        /// <summary>The token cache path is a symbolic link, which is refused.</summary>
        public const string TokenCachePathInvalid = "TokenCachePathInvalid";

        /// <summary>The cache folder or a cache file belongs to another user, or the folder is writable by others: nothing is written there.</summary>
        public const string TokenCacheInsecure = "TokenCacheInsecure";

        /// <summary>The managed identity endpoint is unavailable or refused the request.</summary>
        public const string ManagedIdentityUnavailable = "ManagedIdentityUnavailable";

        /// <summary>Device-code sign-in was asked for without a way to show the code (non-interactive host).</summary>
        public const string DeviceCodeCallbackMissing = "DeviceCodeCallbackMissing";

        /// <summary>The sign-in options are incomplete or contradictory.</summary>
        public const string SignInOptionsInvalid = "SignInOptionsInvalid";

        /// <summary>The sign-in did not finish within the allowed time.</summary>
        public const string SignInTimedOut = "SignInTimedOut";

        /// <summary>Entra ID refused the token request for another reason; the message carries its AADSTS line.</summary>
        public const string TokenRequestFailed = "TokenRequestFailed";

        /// <summary>The user name or password is wrong (AADSTS50126).</summary>
        public const string InvalidCredentials = "InvalidCredentials";

        /// <summary>The resource's service principal is not in the tenant (AADSTS500011): the service is not licensed or not set up there.</summary>
        public const string ResourceNotInTenant = "ResourceNotInTenant";

        /// <summary>Entra ID (or the managed identity endpoint, or the sandbox) could not be reached over the network.</summary>
        public const string AuthorityUnreachable = "AuthorityUnreachable";

        /// <summary>
        /// A resource answered a Continuous Access Evaluation claims challenge again after a token with its claims was
        /// obtained, or the token request with those claims was refused; the message carries the reason.
        /// </summary>
        public const string ClaimsChallengeFailed = "ClaimsChallengeFailed";

        /// <summary>No federated token source was found (not in a pipeline, or the pipeline does not allow an id token); the message lists what is missing.</summary>
        public const string FederatedTokenUnavailable = "FederatedTokenUnavailable";

        /// <summary>The pipeline's OIDC token endpoint could not be reached, refused the request or answered without a token.</summary>
        public const string FederatedTokenRequestFailed = "FederatedTokenRequestFailed";

        /// <summary>The federated token file (-FederatedTokenFile, AZURE_FEDERATED_TOKEN_FILE) does not exist.</summary>
        public const string FederatedTokenFileNotFound = "FederatedTokenFileNotFound";

        /// <summary>The federated token file cannot be read, is empty or holds no JWT.</summary>
        public const string FederatedTokenFileUnreadable = "FederatedTokenFileUnreadable";

        /// <summary>No federated credential of the app matches the token's issuer, subject and audience (AADSTS70021, 700211, 700212, 700213, 7002138).</summary>
        public const string FederatedCredentialMismatch = "FederatedCredentialMismatch";

        /// <summary>The app has no federated credentials at all (AADSTS70025).</summary>
        public const string FederatedCredentialMissing = "FederatedCredentialMissing";

        /// <summary>The client assertion was expired or not yet valid when Entra ID received it (AADSTS700024).</summary>
        public const string ClientAssertionExpired = "ClientAssertionExpired";

        /// <summary>The client assertion's lifetime is longer than Entra ID accepts (AADSTS70023).</summary>
        public const string ClientAssertionLifetimeTooLong = "ClientAssertionLifetimeTooLong";
        /// <summary>
        /// The app does not have the browser sign-in's redirect URI http://localhost (AADSTS50011, 500113): Entra ID shows this
        /// on its page and never redirects, so it is found by checking the page before the browser opens.
        /// </summary>
        public const string RedirectUriNotRegistered = "RedirectUriNotRegistered";

        /// <summary>The user cancelled the browser sign-in or declined consent (access_denied, AADSTS65004).</summary>
        public const string BrowserSignInCancelled = "BrowserSignInCancelled";

        /// <summary>The connection was disconnected (Disconnect-M365): it gets no token and sends no request any more.</summary>
        public const string ConnectionClosed = "ConnectionClosed";
    }
}
