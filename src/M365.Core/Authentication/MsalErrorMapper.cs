using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;

namespace M365.Core.Authentication
{
    /// <summary>
    /// Turns MSAL's exceptions into <see cref="M365AuthenticationException"/>s with a stable id, a message that keeps
    /// Entra ID's AADSTS line (secrets redacted) and an action the user can take.
    /// </summary>
    internal static class MsalErrorMapper
    {
        private const int MaxDetailLength = 400;

        private static readonly Regex s_aadsts = new Regex(@"AADSTS(\d{4,8})", RegexOptions.CultureInvariant);

        // From "AADSTS<n>:" to the end of that line: the part of MSAL's message that Entra ID wrote.
        private static readonly Regex s_aadstsLine = new Regex(@"AADSTS\d{4,8}:[^\r\n]*", RegexOptions.CultureInvariant);

        /// <summary>Maps <paramref name="exception"/>.</summary>
        /// <param name="exception">What MSAL threw.</param>
        /// <param name="duringRefresh">True when it came from a silent (refresh-token) request after sign-in.</param>
        /// <param name="target">The resource or tenant asked for, for the error's target.</param>
        public static M365AuthenticationException Map(MsalException exception, bool duringRefresh, object? target)
        {
            int? code = FindAadstsCode(exception);
            string detail = Detail(exception);
            string errorCode = exception.ErrorCode ?? string.Empty;

            switch (code)
            {
                case 700082:
                case 50173:
                case 700084:
                    return Create(AuthenticationErrorIds.ReauthenticationRequired, "The sign-in has expired or was revoked", "Run Connect-M365 again.");
                case 700016:
                    return Create(
                        AuthenticationErrorIds.AppNotFound,
                        "The application was not found in the tenant",
                        "The PnP Management Shell app (31359c7f-bd7e-475c-86db-fdb8c937548e) was removed from tenants in 2024. "
                        + "Register your own public-client app in Entra ID, then pass -AppId, set CLIMICROSOFT365_AADAPPID, or save it as the default once with Set-M365Setting -AppId <id>.");
                case 50011:
                case 500113:
                    return Create(
                        AuthenticationErrorIds.RedirectUriNotRegistered,
                        "The app does not accept the browser sign-in's redirect URI http://localhost",
                        "In the app registration, under Authentication, add http://localhost as a Mobile and desktop applications redirect URI; or sign in with a device code (Connect-M365 without -Interactive).");
                case 7000218:
                    return Create(
                        AuthenticationErrorIds.PublicClientFlowsDisabled,
                        "The application does not allow public client flows (device code, password)",
                        "In the app registration, under Authentication, turn on \"Allow public client flows\".");
                case 65001:
                    return Create(
                        AuthenticationErrorIds.ConsentRequired,
                        "Consent for the requested permissions is missing",
                        "Ask an administrator to grant consent for the app's permissions, then run Connect-M365 again.");
                case 50076:
                case 50079:
                    return Create(
                        AuthenticationErrorIds.MfaRequired,
                        "Multi-factor authentication is required",
                        "Sign in with the device code flow or a certificate, not a user name and password.");
                case 53003:
                    return Create(
                        AuthenticationErrorIds.ConditionalAccessBlocked,
                        "A Conditional Access policy blocked the sign-in",
                        "Contact the tenant administrator.");
                case 7000215:
                    return Create(
                        AuthenticationErrorIds.InvalidClientSecret,
                        "The client secret is invalid or expired",
                        "Check the secret of the app registration (Certificates & secrets) and pass a current one.");
                case 700027:
                    return Create(
                        AuthenticationErrorIds.InvalidClientCertificate,
                        "The certificate assertion was rejected",
                        "Check that the certificate is uploaded to the app registration and has not expired.");
                case 90002:
                    return Create(AuthenticationErrorIds.TenantNotFound, "The tenant was not found", "Check -Tenant: give the tenant's domain (contoso.onmicrosoft.com) or its id.");
                case 50126:
                    return Create(
                        AuthenticationErrorIds.InvalidCredentials,
                        "The user name or password is wrong",
                        "Check the user name (user@contoso.onmicrosoft.com) and the password. Accounts with MFA cannot sign in with a password: use device code (Connect-M365) instead.");
                case 500011:
                    return Create(
                        AuthenticationErrorIds.ResourceNotInTenant,
                        "The resource is not set up in this tenant (its service principal is missing)",
                        "Check the resource URL (for SharePoint, the tenant name), and that the service is licensed in the tenant; an administrator can add it.");
            }

            if (exception.InnerException is HttpRequestException || errorCode == MsalError.ServiceNotAvailable || errorCode == MsalError.RequestTimeout)
            {
                return Unreachable(exception, target);
            }

            if (errorCode == MsalError.CodeExpired || errorCode == "expired_token")
            {
                return Create(AuthenticationErrorIds.DeviceCodeExpired, "The device code expired before the sign-in finished", "Run Connect-M365 again and finish the sign-in within 15 minutes.");
            }

            if (errorCode == "authorization_declined" || errorCode == "access_denied")
            {
                return Create(AuthenticationErrorIds.DeviceCodeDeclined, "The sign-in was declined", "Run Connect-M365 again and accept the sign-in.");
            }

            if (duringRefresh && (exception is MsalUiRequiredException || errorCode == MsalError.InvalidGrantError))
            {
                return Create(AuthenticationErrorIds.ReauthenticationRequired, "The sign-in can no longer be refreshed", "Run Connect-M365 again.");
            }

            if (errorCode == MsalError.UserAssignedManagedIdentityNotConfigurableAtRuntime)
            {
                return Create(
                    AuthenticationErrorIds.ManagedIdentityUnavailable,
                    "This host does not let a user-assigned managed identity be chosen when the token is requested (Service Fabric: the identity is set in the application's manifest)",
                    "Run Connect-M365 -ManagedIdentity without -ManagedIdentityClientId; the host uses the identity assigned to the application.");
            }

            if (errorCode.StartsWith("managed_identity", StringComparison.Ordinal) || errorCode == MsalError.InvalidManagedIdentityEndpoint)
            {
                return Create(
                    AuthenticationErrorIds.ManagedIdentityUnavailable,
                    "The managed identity endpoint did not issue a token",
                    "Check that the managed identity is enabled for this Automation account or host, and the client id of a user-assigned identity.");
            }

            return Create(AuthenticationErrorIds.TokenRequestFailed, "Entra ID refused the token request", null);

            M365AuthenticationException Create(string id, string what, string? action) =>
                new M365AuthenticationException(id, what + (detail.Length > 0 ? ". Entra ID said: " + detail : "."), action, code, target, exception);
        }

        /// <summary>The error for a token endpoint that could not be reached at all (offline, DNS, proxy, a stopped sandbox).</summary>
        public static M365AuthenticationException Unreachable(Exception exception, object? target)
        {
            Exception cause = exception.InnerException is HttpRequestException inner ? inner : exception;
            string reason = SecretRedactor.Redact(cause.InnerException?.Message ?? cause.Message).Trim().TrimEnd('.');
            return new M365AuthenticationException(
                AuthenticationErrorIds.AuthorityUnreachable,
                "Entra ID could not be reached: " + reason + ".",
                "Check the network connection and any proxy ($env:HTTPS_PROXY), then run the command again. With -Sandbox, check that the sandbox is running and that $env:M365_SANDBOX names its sandbox.json.",
                target: target,
                innerException: exception);
        }

        internal static int? FindAadstsCode(MsalException exception)
        {
            Match match = s_aadsts.Match(exception.Message ?? string.Empty);
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int fromMessage))
            {
                return fromMessage;
            }

            if (exception is MsalServiceException service)
            {
                if (service.ErrorCodesForLogging != null)
                {
                    foreach (string value in service.ErrorCodesForLogging)
                    {
                        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int fromList))
                        {
                            return fromList;
                        }
                    }
                }

                return FromResponseBody(service.ResponseBody);
            }

            return null;
        }

        private static int? FromResponseBody(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(body!);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error_codes", out JsonElement codes)
                    && codes.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement code in codes.EnumerateArray())
                    {
                        if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int value))
                        {
                            return value;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page): there is simply no code to read.
            }

            return null;
        }

        /// <summary>
        /// What Entra ID said, without MSAL's boilerplate ("A configuration issue is preventing authentication … Original
        /// exception:"): the whole AADSTS line when there is one, never cut, else MSAL's first line. Secrets removed.
        /// </summary>
        internal static string Detail(MsalException exception)
        {
            string message = exception.Message ?? string.Empty;
            int cut = message.IndexOf("Trace ID", StringComparison.OrdinalIgnoreCase);
            if (cut >= 0)
            {
                message = message.Substring(0, cut);
            }

            Match aadsts = s_aadstsLine.Match(message);
            if (aadsts.Success)
            {
                return SecretRedactor.Redact(aadsts.Value).Trim().TrimEnd('.');
            }

            int newline = message.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0)
            {
                message = message.Substring(0, newline);
            }

            message = SecretRedactor.Redact(message).Trim().TrimEnd('.');
            return message.Length > MaxDetailLength ? message.Substring(0, MaxDetailLength) + "…" : message;
        }
    }
}
