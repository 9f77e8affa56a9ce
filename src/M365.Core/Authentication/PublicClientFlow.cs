using System;
using System.Net.Http;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// Delegated sign-in over one public client application: device code (or user name and password) once, then every
    /// resource silently with the refresh token of that account. It never prompts again after the first sign-in: a refresh
    /// that needs the user becomes <see cref="AuthenticationErrorIds.ReauthenticationRequired"/>.
    /// </summary>
    internal sealed class PublicClientFlow : ISignInFlow
    {
        private readonly IPublicClientApplication _app;
        private readonly Func<DeviceCodePrompt, CancellationToken, Task>? _deviceCodeCallback;
        private readonly string? _userName;
        private SecureString? _password;
        private Browser.InteractiveSignIn? _interactive;
        private volatile IAccount? _account;

        private PublicClientFlow(IPublicClientApplication app, Func<DeviceCodePrompt, CancellationToken, Task>? deviceCodeCallback, string? userName, SecureString? password)
        {
            _app = app;
            _deviceCodeCallback = deviceCodeCallback;
            _userName = userName;
            _password = password;
        }

        public bool IsAppOnly => false;

        public string? Identity => _account?.Username;

        public static PublicClientFlow ForDeviceCode(IPublicClientApplication app, Func<DeviceCodePrompt, CancellationToken, Task> callback) =>
            new PublicClientFlow(app, callback, null, null);

        public static PublicClientFlow ForPassword(IPublicClientApplication app, string userName, SecureString password) =>
            new PublicClientFlow(app, null, userName, password);

        public static PublicClientFlow ForInteractive(IPublicClientApplication app, Browser.InteractiveSignIn interactive) =>
            new PublicClientFlow(app, null, null, null) { _interactive = interactive };

        /// <summary>A flow resumed from a persisted cache: the account is known, so only silent requests are made.</summary>
        public static PublicClientFlow ForAccount(IPublicClientApplication app, IAccount account) =>
            new PublicClientFlow(app, null, null, null) { _account = account };

        /// <summary>The MSAL application, for attaching a persistent cache.</summary>
        internal IPublicClientApplication App => _app;

        /// <summary>The signed-in account, once known.</summary>
        internal IAccount? Account => _account;

        public async Task<AccessToken> SignInAsync(M365Resource resource, CancellationToken cancellationToken)
        {
            string[] scopes = { resource.Scope };
            AuthenticationResult result;
            try
            {
                if (_interactive != null)
                {
                    result = await _interactive.AcquireAsync(_app, scopes, cancellationToken).ConfigureAwait(false);
                }
                else if (_deviceCodeCallback != null)
                {
                    result = await _app
                        .AcquireTokenWithDeviceCode(scopes, code => _deviceCodeCallback(ToPrompt(code), cancellationToken))
                        .ExecuteAsync(cancellationToken)
                        .ConfigureAwait(false);
                }
                else
                {
                    SecureString password = _password ?? throw new InvalidOperationException("The password was already used for the first sign-in.");
#pragma warning disable CS0618 // ROPC is deprecated by Microsoft but is still what -Credential means; MFA errors are mapped to a clear message.
                    result = await _app
                        .AcquireTokenByUsernamePassword(scopes, _userName, MsalSetup.Reveal(password))
                        .ExecuteAsync(cancellationToken)
                        .ConfigureAwait(false);
#pragma warning restore CS0618
                }
            }
            catch (MsalException ex)
            {
                throw MsalErrorMapper.Map(ex, duringRefresh: false, resource.ResourceId);
            }
            catch (HttpRequestException ex)
            {
                throw MsalErrorMapper.Unreachable(ex, resource.ResourceId);
            }
            finally
            {
                _password = null;
            }

            _account = result.Account;
            return new AccessToken(result.AccessToken, result.ExpiresOn, resource);
        }

        public Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken) =>
            AcquireSilentAsync(resource, forceRefresh, null, cancellationToken);

        // WithClaims makes MSAL skip its access-token cache and redeem the refresh token with the claims request.
        public Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken) =>
            AcquireSilentAsync(resource, forceRefresh: true, claims, cancellationToken);

        private async Task<AccessToken> AcquireSilentAsync(M365Resource resource, bool forceRefresh, string? claims, CancellationToken cancellationToken)
        {
            IAccount account = _account ?? throw new M365AuthenticationException(
                AuthenticationErrorIds.ReauthenticationRequired,
                "This connection has no signed-in account.",
                "Run Connect-M365 again.",
                target: resource.ResourceId);
            try
            {
                AcquireTokenSilentParameterBuilder builder = _app
                    .AcquireTokenSilent(new[] { resource.Scope }, account)
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
                throw MsalErrorMapper.Map(ex, duringRefresh: true, resource.ResourceId);
            }
            catch (HttpRequestException ex)
            {
                throw MsalErrorMapper.Unreachable(ex, resource.ResourceId);
            }
        }

        public async Task SignOutAsync(CancellationToken cancellationToken)
        {
            IEnumerable<IAccount> accounts = await _app.GetAccountsAsync().ConfigureAwait(false);
            foreach (IAccount account in accounts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _app.RemoveAsync(account).ConfigureAwait(false);
            }

            _account = null;
        }

        private static DeviceCodePrompt ToPrompt(DeviceCodeResult code) =>
            new DeviceCodePrompt(code.UserCode, new Uri(code.VerificationUrl), code.Message, code.ExpiresOn);
    }
}
