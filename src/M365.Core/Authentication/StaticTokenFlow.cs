using System;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// A connection made from a ready access token: it serves that token for its one resource until it expires and can
    /// neither refresh it nor get tokens for other resources.
    /// </summary>
    internal sealed class StaticTokenFlow : ISignInFlow
    {
        private readonly AccessToken _token;
        private readonly TimeProvider _time;

        public StaticTokenFlow(string token, M365Resource resource, TimeProvider time)
        {
            _time = time;
            var probe = new AccessToken(token, DateTimeOffset.MaxValue, resource);

            // Without an exp claim (an opaque token) the expiry is unknown; the resource will answer 401 when it lapses,
            // and the forced refresh that follows reports AccessTokenExpired.
            DateTimeOffset expiresOn = probe.Claims.TryGetValue("exp", out object? exp) && exp is long seconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.MaxValue;
            _token = new AccessToken(token, expiresOn, resource);
        }

        public bool IsAppOnly => _token.IdentityType == "app";

        public string? Identity => _token.GetString("upn") ?? _token.GetString("unique_name") ?? _token.GetString("app_displayname") ?? _token.GetString("appid");

        public AccessToken Token => _token;

        public Task<AccessToken> SignInAsync(M365Resource resource, CancellationToken cancellationToken) =>
            AcquireAsync(resource, forceRefresh: false, cancellationToken);

        public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken)
        {
            if (!resource.Equals(_token.Resource))
            {
                return Task.FromException<AccessToken>(new M365AuthenticationException(
                    AuthenticationErrorIds.AccessTokenResourceMismatch,
                    $"This connection holds an access token for {_token.Resource.ResourceId} only, not for {resource.ResourceId}.",
                    "Connect-M365 with a token for that resource, or sign in with another method.",
                    target: resource.ResourceId));
            }

            if (forceRefresh || _time.GetUtcNow() >= _token.ExpiresOn)
            {
                return Task.FromException<AccessToken>(new M365AuthenticationException(
                    AuthenticationErrorIds.AccessTokenExpired,
                    forceRefresh
                        ? "The access token given to Connect-M365 was rejected or has expired, and it cannot be refreshed."
                        : $"The access token given to Connect-M365 expired at {_token.ExpiresOn:u} and cannot be refreshed.",
                    "Get a new access token and run Connect-M365 -AccessToken again.",
                    target: resource.ResourceId));
            }

            return Task.FromResult(_token);
        }

        // A ready token cannot be renewed, with claims or without: the challenge means it was revoked.
        public Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken) =>
            AcquireAsync(resource, forceRefresh: true, cancellationToken);

        public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
