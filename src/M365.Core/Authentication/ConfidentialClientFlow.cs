using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using M365.Core.Authentication.Federation;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// App-only sign-in with a client secret or certificate. Every resource is asked for as <c>{resource}/.default</c> with the
    /// client credentials grant; MSAL's own app-token cache answers repeats, and an expired token is simply acquired again.
    /// </summary>
    internal sealed class ConfidentialClientFlow : ISignInFlow
    {
        private readonly IConfidentialClientApplication _app;
        private readonly FederatedAssertionProvider? _assertions;
        private string? _identity;

        /// <param name="app">The MSAL application.</param>
        /// <param name="assertions">The federated assertions the app presents, whose claims explain a refusal; null for a secret or certificate.</param>
        public ConfidentialClientFlow(IConfidentialClientApplication app, FederatedAssertionProvider? assertions = null)
        {
            _app = app;
            _assertions = assertions;
        }

        /// <summary>The federated assertions presented, or null.</summary>
        internal FederatedAssertionProvider? Assertions => _assertions;

        public bool IsAppOnly => true;

        public string? Identity => _identity;

        public async Task<AccessToken> SignInAsync(M365Resource resource, CancellationToken cancellationToken)
        {
            AccessToken token = await AcquireAsync(resource, forceRefresh: false, cancellationToken).ConfigureAwait(false);
            _identity = token.GetString("app_displayname") ?? _app.AppConfig.ClientId;
            return token;
        }

        public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken) =>
            AcquireForClientAsync(resource, forceRefresh, null, cancellationToken);

        // WithClaims makes MSAL skip its app-token cache.
        public Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken) =>
            AcquireForClientAsync(resource, forceRefresh: false, claims, cancellationToken);

        private async Task<AccessToken> AcquireForClientAsync(M365Resource resource, bool forceRefresh, string? claims, CancellationToken cancellationToken)
        {
            try
            {
                AcquireTokenForClientParameterBuilder builder = _app
                    .AcquireTokenForClient(new[] { resource.Scope })
                    .WithForceRefresh(forceRefresh);
                if (claims != null)
                {
                    builder = builder.WithClaims(claims);
                }

                AuthenticationResult result = await builder
                    .ExecuteAsync(cancellationToken)
                    .ConfigureAwait(false);
                return new AccessToken(result.AccessToken, result.ExpiresOn, resource);
            }
            catch (MsalException ex)
            {
                throw (_assertions is null ? null : FederatedErrorMapper.Map(ex, _assertions, _app.AppConfig.ClientId, resource.ResourceId))
                    ?? MsalErrorMapper.Map(ex, duringRefresh: false, resource.ResourceId);
            }
            catch (HttpRequestException ex)
            {
                throw MsalErrorMapper.Unreachable(ex, resource.ResourceId);
            }
        }

        // App tokens belong to no account and live only in this application's in-memory cache, which the disconnected
        // connection drops together with the application; there is nothing to remove one by one.
        public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
