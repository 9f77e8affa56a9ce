using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// App-only sign-in as the host's managed identity. MSAL finds the source itself (IDENTITY_ENDPOINT/IDENTITY_HEADER in
    /// Azure Automation and App Service, IMDS on VMs) and sends its requests through the session transport.
    /// </summary>
    internal sealed class ManagedIdentityFlow : ISignInFlow
    {
        private readonly IManagedIdentityApplication _app;
        private readonly string? _clientId;

        public ManagedIdentityFlow(IManagedIdentityApplication app, string? clientId)
        {
            _app = app;
            _clientId = clientId;
        }

        public bool IsAppOnly => true;

        public string? Identity => _clientId is null ? "ManagedIdentity (system-assigned)" : "ManagedIdentity (" + _clientId + ")";

        public Task<AccessToken> SignInAsync(M365Resource resource, CancellationToken cancellationToken) =>
            AcquireAsync(resource, forceRefresh: false, cancellationToken);

        public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken) =>
            AcquireForIdentityAsync(resource, forceRefresh, null, cancellationToken);

        // WithClaims makes MSAL skip its cache; the endpoints that support revocation also get the rejected token's hash.
        public Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken) =>
            AcquireForIdentityAsync(resource, forceRefresh: false, claims, cancellationToken);

        private async Task<AccessToken> AcquireForIdentityAsync(M365Resource resource, bool forceRefresh, string? claims, CancellationToken cancellationToken)
        {
            try
            {
                // Managed identity endpoints take a v1 resource id, not a scope.
                AcquireTokenForManagedIdentityParameterBuilder builder = _app
                    .AcquireTokenForManagedIdentity(resource.ResourceId)
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
                throw MsalErrorMapper.Map(ex, duringRefresh: false, resource.ResourceId);
            }
            catch (HttpRequestException ex)
            {
                throw MsalErrorMapper.Unreachable(ex, resource.ResourceId);
            }
        }

        // Managed identity tokens are not per-account and are not persisted. MSAL keeps them in a process-wide cache (every
        // ManagedIdentityApplication shares it), so there is no account to remove.
        public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
