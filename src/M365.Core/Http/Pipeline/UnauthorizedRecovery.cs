using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Resources;

namespace M365.Core.Http
{
    /// <summary>
    /// What a sender does with a 401: one forced token refresh and one resend, or for a Continuous Access Evaluation claims
    /// challenge one token request with those claims and one resend; a second challenge after that fails.
    /// </summary>
    internal sealed class UnauthorizedRecovery
    {
        private const string ClaimsChallengeAction =
            "A Conditional Access policy or a revoked session asks for more than a silent token request can give. Run Connect-M365 again; if it persists, ask the tenant administrator which policy applies.";

        private readonly Func<M365Resource, bool, CancellationToken, Task<AccessToken>> _getToken;
        private readonly Func<M365Resource, string, AccessToken, CancellationToken, Task<AccessToken>> _getClaimsToken;

        internal UnauthorizedRecovery(
            Func<M365Resource, bool, CancellationToken, Task<AccessToken>> getToken,
            Func<M365Resource, string, AccessToken, CancellationToken, Task<AccessToken>> getClaimsToken)
        {
            _getToken = getToken;
            _getClaimsToken = getClaimsToken;
        }

        /// <summary>Returns the first answer that is not a 401 it can recover from; <paramref name="resend"/> sends again with a new token.</summary>
        internal async Task<HttpResponseMessage> RecoverAsync(
            HttpResponseMessage response,
            M365Resource resource,
            AccessToken token,
            RequestAttemptState state,
            Func<AccessToken, Task<HttpResponseMessage>> resend,
            CancellationToken cancellationToken)
        {
            bool refreshed = false;
            bool claimed = false;
            while (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                ClaimsChallenge? challenge = ClaimsChallenge.FromResponse(response);
                if (challenge != null)
                {
                    if (claimed)
                    {
                        using (response)
                        {
                            throw ChallengedAgain(challenge, resource, state, HttpErrorFactory.RequestIdOf(response));
                        }
                    }

                    // Continuous Access Evaluation: the service revoked the token mid-life and says which claims a new one needs.
                    claimed = true;
                    state.Log(state.Method + " " + state.RedactedUrl + ": 401 with a claims challenge (Continuous Access Evaluation); getting a " + resource.Kind + " token with those claims and sending once more.");
                    response.Dispose();
                    token = await GetClaimsTokenAsync(resource, challenge, token, state, cancellationToken).ConfigureAwait(false);
                }
                else if (!refreshed && !claimed)
                {
                    // The cached token may look valid to us yet be revoked or expired at the service: renew it once, resend once.
                    refreshed = true;
                    state.Log(state.Method + " " + state.RedactedUrl + ": 401 Unauthorized; refreshing the " + resource.Kind + " token and sending once more.");
                    response.Dispose();
                    token = await _getToken(resource, true, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    break;
                }

                response = await resend(token).ConfigureAwait(false);
            }

            return response;
        }

        private async Task<AccessToken> GetClaimsTokenAsync(M365Resource resource, ClaimsChallenge challenge, AccessToken rejected, RequestAttemptState state, CancellationToken cancellationToken)
        {
            try
            {
                return await _getClaimsToken(resource, challenge.Claims, rejected, cancellationToken).ConfigureAwait(false);
            }
            catch (M365AuthenticationException ex) when (ex.RequiresSignIn || ex.ErrorId == AuthenticationErrorIds.TokenRequestFailed)
            {
                // Name the challenge, so the user sees why a working connection suddenly needs a new sign-in.
                string message = state.Method + " " + state.RedactedUrl + " was answered with a Continuous Access Evaluation claims challenge"
                    + (challenge.Description != null ? " (" + SecretRedactor.Redact(challenge.Description) + ")" : string.Empty)
                    + ", and the token request with those claims was refused: " + ex.Message;
                throw ex.RequiresSignIn
                    ? new M365AuthenticationException(AuthenticationErrorIds.ReauthenticationRequired, message, "Run Connect-M365 again: the session was revoked or a policy needs a new sign-in.", ex.AadstsCode, resource.ResourceId, ex)
                    : new M365AuthenticationException(AuthenticationErrorIds.ClaimsChallengeFailed, message, ClaimsChallengeAction, ex.AadstsCode, resource.ResourceId, ex);
            }
        }

        private static M365AuthenticationException ChallengedAgain(ClaimsChallenge challenge, M365Resource resource, RequestAttemptState state, string? requestId) =>
            new M365AuthenticationException(
                AuthenticationErrorIds.ClaimsChallengeFailed,
                Sentences.Join(
                    state.Method + " " + state.RedactedUrl + " was answered with a Continuous Access Evaluation claims challenge again, after a new " + resource.Kind
                        + " token with the claims it asked for"
                        + (challenge.Description != null ? ": " + SecretRedactor.Redact(challenge.Description) : string.Empty),
                    requestId != null ? "Request id: " + requestId : null),
                ClaimsChallengeAction,
                target: resource.ResourceId);
    }
}
