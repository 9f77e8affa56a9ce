using System;
using Microsoft.Identity.Client;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// Explains Entra ID's refusals of a federated assertion with what the presented token said (issuer, subject,
    /// audience, validity, decoded from its claims; never the token), so the fix names the federated credential to add.
    /// </summary>
    internal static class FederatedErrorMapper
    {
        /// <summary>The error for <paramref name="exception"/>, or null when it is no federation refusal (the common mapper then applies).</summary>
        public static M365AuthenticationException? Map(MsalException exception, FederatedAssertionProvider provider, string? appId, object? target)
        {
            int? code = MsalErrorMapper.FindAadstsCode(exception);
            PresentedAssertion? presented = provider.LastPresented;
            IFederatedTokenSource source = provider.Source;
            string detail = MsalErrorMapper.Detail(exception);
            string said = detail.Length > 0 ? " Entra ID said: " + detail + "." : string.Empty;
            string issuer = presented?.Issuer ?? "(none)";
            string subject = presented?.Subject ?? "(none)";
            string audience = presented?.Audience ?? "(none)";
            string app = appId ?? "the app";
            switch (code)
            {
                case 70021:
                case 700211:
                case 700212:
                case 700213:
                case 7002138:
                    string what = code switch
                    {
                        700211 => "none has its issuer",
                        700212 => "none has its audience",
                        700213 => "none has its subject",
                        7002138 => "one matches only when letter case is ignored",
                        _ => "none matches its issuer, subject and audience",
                    };
                    return Create(
                        AuthenticationErrorIds.FederatedCredentialMismatch,
                        $"The app {app} has no federated credential with issuer '{issuer}' and subject '{subject}' (audience '{audience}'): {what}, and case matters.",
                        $"In the app registration (Certificates & secrets, Federated credentials) add a credential with exactly issuer '{issuer}', subject '{subject}' and audience '{FederatedSetup.TokenExchangeAudience}', or run from the branch, environment or service connection an existing credential names.");
                case 70025:
                    return Create(
                        AuthenticationErrorIds.FederatedCredentialMissing,
                        $"The app {app} has no federated credentials at all, so it does not trust the token from {source.Name} (issuer '{issuer}', subject '{subject}').",
                        $"In the app registration (Certificates & secrets, Federated credentials) add a credential with issuer '{issuer}', subject '{subject}' and audience '{FederatedSetup.TokenExchangeAudience}'.");
                case 700024:
                    return Create(
                        AuthenticationErrorIds.ClientAssertionExpired,
                        $"The token from {source.Name} was outside its valid time range when Entra ID received it ({Describe(presented)}).",
                        source.CanRenew
                            ? "Check this machine's clock; for a token file, check that whatever writes it (the kubelet, a sidecar) still renews it."
                            : "A token given with -ClientAssertion cannot be renewed: run Connect-M365 again with a fresh one, or with -FederatedIdentity, which fetches a new token whenever one is needed.");
                case 70023:
                    string lifetime = presented?.Lifetime is { } span
                        ? span >= TimeSpan.FromHours(2) ? span.TotalHours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " hours" : Durations.Describe(span)
                        : "an unknown time";
                    return Create(
                        AuthenticationErrorIds.ClientAssertionLifetimeTooLong,
                        $"The token from {source.Name} is valid for {lifetime}, longer than Entra ID accepts for a client assertion (1 day and 1 hour) ({Describe(presented)}).",
                        "Issue the token with a shorter lifetime (for a Kubernetes projected token, a smaller expirationSeconds).");
                default:
                    return null;
            }

            M365AuthenticationException Create(string id, string message, string fix) =>
                new M365AuthenticationException(id, message.TrimEnd('.') + "." + said, fix, code, target, exception);
        }

        private static string Describe(PresentedAssertion? presented)
        {
            if (presented is null)
            {
                return "no token was read";
            }

            string valid = presented.NotBefore is { } nbf ? "valid from " + PresentedAssertion.Format(nbf) + ", " : string.Empty;
            return presented.Describe() + (valid.Length > 0 ? ", " + valid.TrimEnd(',', ' ') : string.Empty);
        }
    }
}
