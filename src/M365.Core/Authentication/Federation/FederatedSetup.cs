using System;
using System.Net.Http;
using M365.Core.Clouds;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// What a federated sign-in needs, resolved from <see cref="SignInOptions"/> and the environment: the token source
    /// (found in the order: GitHub Actions, Azure DevOps, a token file, unless one is named), the app and the tenant.
    /// </summary>
    internal sealed class FederatedSetup
    {
        /// <summary>The audience Entra ID's token exchange expects in a federated token.</summary>
        public const string TokenExchangeAudience = "api://AzureADTokenExchange";

        public const string ClientIdVariable = "AZURE_CLIENT_ID";
        public const string TenantIdVariable = "AZURE_TENANT_ID";
        public const string AuthorityHostVariable = "AZURE_AUTHORITY_HOST";
        public const string TenantFallbackVariable = "CLIMICROSOFT365_TENANT";

        private FederatedSetup(IFederatedTokenSource source, string appId, AppIdSource appIdSource, string? tenant)
        {
            Source = source;
            AppId = appId;
            AppIdSource = appIdSource;
            Tenant = tenant;
        }

        public IFederatedTokenSource Source { get; }

        public string AppId { get; }

        public AppIdSource AppIdSource { get; }

        /// <summary>The tenant, or null to let the caller choose (the sandbox's own tenant).</summary>
        public string? Tenant { get; }

        /// <summary>Null unless <paramref name="options"/> asks for a federated sign-in.</summary>
        /// <exception cref="M365AuthenticationException">No source, app or tenant can be found; the id says which.</exception>
        public static FederatedSetup? Resolve(SignInOptions options, HttpClient client)
        {
            if (options.AuthenticationType != AuthenticationType.FederatedIdentity)
            {
                return null;
            }

            Func<string, string?> read = options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;
            string? Env(string name) => NonEmpty(read(name));
            CheckAuthorityHost(Env(AuthorityHostVariable), options.Cloud);

            (IFederatedTokenSource source, string appVariable, string tenantVariable) = FederatedTokenSources.Find(options, Env, client);
            (string appId, AppIdSource appIdSource) = NonEmpty(options.AppId) is { } given
                ? (given, AppIdSource.Parameter)
                : Env(appVariable) is { } fromEnvironment
                    ? (fromEnvironment, AppIdSource.FederatedEnvironment)
                    : throw new M365AuthenticationException(
                        AuthenticationErrorIds.SignInOptionsInvalid,
                        $"A federated sign-in needs the app (client) id of the app registration that trusts {source.Name}, and neither -AppId nor {appVariable} gives it.",
                        $"Pass -AppId, or set {appVariable}.");
            string? tenant = NonEmpty(options.Tenant) ?? Env(tenantVariable) ?? Env(TenantFallbackVariable);
            return new FederatedSetup(source, appId, appIdSource, tenant);
        }

        /// <summary>
        /// Azure.Identity's AZURE_AUTHORITY_HOST names the sign-in host; the exchange goes to the -Environment cloud's
        /// authority, so a variable that names another host is a contradiction to report, not to follow silently.
        /// </summary>
        private static void CheckAuthorityHost(string? value, CloudEnvironment cloud)
        {
            if (value is null)
            {
                return;
            }

            string host = Uri.TryCreate(value, UriKind.Absolute, out Uri? url) ? url.Host : value.Trim().TrimEnd('/');
            if (string.Equals(host, cloud.AuthorityHost, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            string? match = null;
            foreach (CloudEnvironment other in CloudEnvironment.All)
            {
                if (string.Equals(other.AuthorityHost, host, StringComparison.OrdinalIgnoreCase))
                {
                    match = match is null ? other.Name : match + " or " + other.Name;
                }
            }

            throw new M365AuthenticationException(
                AuthenticationErrorIds.SignInOptionsInvalid,
                $"AZURE_AUTHORITY_HOST names '{host}', but the {cloud.Name} cloud signs in at '{cloud.AuthorityHost}'.",
                match is null
                    ? "Clear AZURE_AUTHORITY_HOST or set it to the sign-in host of the cloud -Environment names."
                    : $"Pass -Environment {match} to sign in to that cloud, or clear AZURE_AUTHORITY_HOST.",
                target: value);
        }

        internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
