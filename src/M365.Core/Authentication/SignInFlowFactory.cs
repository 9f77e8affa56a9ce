using System;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;
using M365.Core.Authentication.Federation;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>The one place that turns <see cref="SignInOptions"/> into a sign-in flow over a new MSAL application.</summary>
    internal static class SignInFlowFactory
    {
        public static ISignInFlow Create(SignInOptions options, string tenant, HttpTransport transport, TimeProvider time, ResourceResolver resources, FederatedSetup? federation = null)
        {
            string appId = federation?.AppId ?? options.ResolveAppId();
            string authority = MsalSetup.Authority(options.Cloud, tenant);
            switch (options.AuthenticationType)
            {
                case AuthenticationType.DeviceCode:
                    return PublicClientFlow.ForDeviceCode(
                        PublicClient(appId, authority, transport),
                        options.DeviceCodeCallback ?? throw Invalid(
                            AuthenticationErrorIds.DeviceCodeCallbackMissing,
                            "Device-code sign-in needs a way to show the code, and this host has none (it is not interactive).",
                            "In a runbook or script, sign in with a certificate, a client secret or a managed identity."));

                case AuthenticationType.Interactive:
                    return PublicClientFlow.ForInteractive(
                        PublicClient(appId, authority, transport, Browser.InteractiveSignIn.RedirectUri),
                        new Browser.InteractiveSignIn(options, transport, time));

                case AuthenticationType.Credential:
                    return PublicClientFlow.ForPassword(
                        PublicClient(appId, authority, transport),
                        Require(options.UserName, "a user name"),
                        options.Password ?? throw Invalid(AuthenticationErrorIds.SignInOptionsInvalid, "Credential sign-in needs a password.", "Pass -Credential."));

                case AuthenticationType.ClientSecret:
                    RequireTenant(tenant);
                    SecureStringGuard(options.ClientSecret, "a client secret");
                    return new ConfidentialClientFlow(ConfidentialClientApplicationBuilder.Create(appId)
                        .WithAuthority(authority)
                        .UseTransport(transport)
                        .WithClientSecret(MsalSetup.Reveal(options.ClientSecret!))
                        .Build());

                case AuthenticationType.Certificate:
                    RequireTenant(tenant);
                    if (options.Certificate is null || !options.Certificate.HasPrivateKey)
                    {
                        throw Invalid(AuthenticationErrorIds.SignInOptionsInvalid, "Certificate sign-in needs a certificate with its private key.", "Pass a certificate that includes the private key.");
                    }

                    return new ConfidentialClientFlow(ConfidentialClientApplicationBuilder.Create(appId)
                        .WithAuthority(authority)
                        .UseTransport(transport)
                        .WithCertificate(options.Certificate, options.SendCertificateChain)
                        .Build());

                case AuthenticationType.ManagedIdentity:
                    ManagedIdentityId identity = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                        ? ManagedIdentityId.SystemAssigned
                        : ManagedIdentityId.WithUserAssignedClientId(options.ManagedIdentityClientId);
                    return new ManagedIdentityFlow(
                        ManagedIdentityApplicationBuilder.Create(identity).WithHttpClientFactory(transport.MsalFactory).WithClientCapabilities(MsalSetup.ClientCapabilities).Build(),
                        string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId);

                case AuthenticationType.FederatedIdentity:
                    RequireTenant(tenant, "Pass -Tenant, or set AZURE_TENANT_ID (AZURESUBSCRIPTION_TENANT_ID in Azure DevOps).");
                    var assertions = new FederatedAssertionProvider(
                        (federation ?? throw new ArgumentNullException(nameof(federation))).Source,
                        time);
                    return new ConfidentialClientFlow(
                        ConfidentialClientApplicationBuilder.Create(appId)
                            .WithAuthority(authority)
                            .UseTransport(transport)
                            .WithClientAssertion((AssertionRequestOptions request) => assertions.GetAssertionAsync(request.CancellationToken))
                            .Build(),
                        assertions);

                case AuthenticationType.AccessToken:
                    string token = Require(options.AccessToken, "an access token");
                    return new StaticTokenFlow(token, AccessTokenResource(options, token, resources), time);

                default:
                    throw new ArgumentOutOfRangeException(nameof(options), options.AuthenticationType, "Unknown authentication type.");
            }
        }

        internal static IPublicClientApplication PublicClient(string appId, string authority, HttpTransport transport, string? redirectUri = null)
        {
            PublicClientApplicationBuilder builder = PublicClientApplicationBuilder.Create(appId).WithAuthority(authority).UseTransport(transport);
            return (redirectUri is null ? builder : builder.WithRedirectUri(redirectUri)).Build();
        }

        private static M365Resource AccessTokenResource(SignInOptions options, string token, ResourceResolver resources)
        {
            if (!string.IsNullOrWhiteSpace(options.AccessTokenResource))
            {
                return resources.FromName(options.AccessTokenResource!);
            }

            string? audience = JwtPayloadReader.ReadClaims(token).TryGetValue("aud", out object? aud) ? aud as string : null;
            if (audience != null && Uri.TryCreate(audience, UriKind.Absolute, out Uri? url) && url.Scheme == Uri.UriSchemeHttps)
            {
                return resources.FromUrl(url);
            }

            if (audience == "00000003-0000-0000-c000-000000000000")
            {
                return resources.Graph;
            }

            throw Invalid(
                AuthenticationErrorIds.SignInOptionsInvalid,
                "The resource of the access token cannot be read from it.",
                "Say which resource the token is for (e.g. Graph or https://contoso.sharepoint.com).");
        }

        private static void RequireTenant(string tenant, string action = "Pass -Tenant with the tenant id or domain (contoso.onmicrosoft.com).")
        {
            if (string.Equals(tenant, "organizations", StringComparison.OrdinalIgnoreCase) || string.Equals(tenant, "common", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(AuthenticationErrorIds.SignInOptionsInvalid, "App-only sign-in needs a specific tenant.", action);
            }
        }

        private static void SecureStringGuard(System.Security.SecureString? value, string what)
        {
            if (value is null || value.Length == 0)
            {
                throw Invalid(AuthenticationErrorIds.SignInOptionsInvalid, $"This sign-in needs {what}.", $"Pass {what}.");
            }
        }

        private static string Require(string? value, string what) =>
            string.IsNullOrWhiteSpace(value)
                ? throw Invalid(AuthenticationErrorIds.SignInOptionsInvalid, $"This sign-in needs {what}.", $"Pass {what}.")
                : value!;

        private static M365AuthenticationException Invalid(string id, string message, string action) =>
            new M365AuthenticationException(id, message, action);
    }
}
