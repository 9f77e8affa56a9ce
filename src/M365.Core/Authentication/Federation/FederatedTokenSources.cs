using System;
using System.Net.Http;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// Finds the federated token source: a given assertion or token file first (the caller named it), else the
    /// environment in the order (GitHub Actions, Azure DevOps, AZURE_FEDERATED_TOKEN_FILE). With none, the error
    /// says what is missing for the pipeline this looks like, or lists what each source needs.
    /// </summary>
    internal static class FederatedTokenSources
    {
        public static (IFederatedTokenSource Source, string AppVariable, string TenantVariable) Find(SignInOptions options, Func<string, string?> env, HttpClient client)
        {
            if (options.ClientAssertion is { Length: > 0 } assertion)
            {
                if (JwtPayloadReader.ReadClaims(MsalSetup.Reveal(assertion).Trim()).Count == 0)
                {
                    throw new M365AuthenticationException(
                        AuthenticationErrorIds.SignInOptionsInvalid,
                        "The -ClientAssertion value is not a JWT, so Entra ID would refuse it.",
                        "Pass the federated token itself (three base64url parts separated by dots), not a file name or a JSON answer.");
                }

                return (new GivenAssertionSource(assertion), FederatedSetup.ClientIdVariable, FederatedSetup.TenantIdVariable);
            }

            if (FederatedSetup.NonEmpty(options.FederatedTokenFile) is { } file)
            {
                return (new TokenFileSource(file), FederatedSetup.ClientIdVariable, FederatedSetup.TenantIdVariable);
            }

            string? githubUrl = env(GitHubActionsTokenSource.RequestUrlVariable);
            string? githubToken = env(GitHubActionsTokenSource.RequestTokenVariable);
            string? adoUri = env(AzureDevOpsTokenSource.RequestUriVariable);
            string? adoToken = env(AzureDevOpsTokenSource.AccessTokenVariable);
            // -ServiceConnectionId names Azure DevOps, even on an agent that also has GitHub's variables.
            bool adoNamed = FederatedSetup.NonEmpty(options.ServiceConnectionId) != null && adoUri != null && adoToken != null;
            if (githubUrl != null && githubToken != null && !adoNamed)
            {
                return (new GitHubActionsTokenSource(HttpsUrl(githubUrl, GitHubActionsTokenSource.RequestUrlVariable), githubToken, client), FederatedSetup.ClientIdVariable, FederatedSetup.TenantIdVariable);
            }

            if (adoUri != null && adoToken != null)
            {
                string connection = FederatedSetup.NonEmpty(options.ServiceConnectionId) ?? env(AzureDevOpsTokenSource.ServiceConnectionVariable) ?? throw Unavailable(
                    "This Azure DevOps job can request an OIDC token, but not for which service connection: -ServiceConnectionId is not given and AZURESUBSCRIPTION_SERVICE_CONNECTION_ID is not set.",
                    "Pass -ServiceConnectionId with the id of the workload identity federation service connection, or run the script in an AzurePowerShell@5 or AzureCLI@2 task, which sets AZURESUBSCRIPTION_SERVICE_CONNECTION_ID.");
                return (new AzureDevOpsTokenSource(HttpsUrl(adoUri, AzureDevOpsTokenSource.RequestUriVariable), adoToken, connection, client), AzureDevOpsTokenSource.ClientIdVariable, AzureDevOpsTokenSource.TenantIdVariable);
            }

            if (env(TokenFileSource.FileVariable) is { } path)
            {
                return (new TokenFileSource(path), FederatedSetup.ClientIdVariable, FederatedSetup.TenantIdVariable);
            }

            throw NothingFound(env, githubUrl, githubToken, adoUri, adoToken);
        }

        private static M365AuthenticationException NothingFound(Func<string, string?> env, string? githubUrl, string? githubToken, string? adoUri, string? adoToken)
        {
            if (string.Equals(env(GitHubActionsTokenSource.MarkerVariable), "true", StringComparison.OrdinalIgnoreCase) || githubUrl != null || githubToken != null)
            {
                return Unavailable(
                    "This GitHub Actions job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not both set, which happens when the job may not ask for an id token.",
                    "Add `permissions: id-token: write` to the job (or the workflow), then run it again.");
            }

            if (adoUri != null || adoToken != null || env(AzureDevOpsTokenSource.MarkerVariable) != null)
            {
                return adoToken is null
                    ? Unavailable(
                        "This Azure DevOps job does not pass SYSTEM_ACCESSTOKEN to the script, and requesting an OIDC token needs it.",
                        "Add `SYSTEM_ACCESSTOKEN: $(System.AccessToken)` under the step's `env:`, then run the pipeline again.")
                    : Unavailable(
                        "This Azure DevOps job has SYSTEM_ACCESSTOKEN but no SYSTEM_OIDCREQUESTURI, so it cannot request an OIDC token.",
                        "Run the step on an agent that sets System.OidcRequestUri (agent 3.x or later), or in an AzurePowerShell@5 task with a workload identity federation service connection.");
            }

            return Unavailable(
                "No federated token source was found, since none of these is set: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions); "
                + "SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN and AZURESUBSCRIPTION_SERVICE_CONNECTION_ID or -ServiceConnectionId (Azure DevOps); AZURE_FEDERATED_TOKEN_FILE or -FederatedTokenFile (a token file, as in Kubernetes).",
                "Run the command in a pipeline that federates with Entra ID, pass -FederatedTokenFile or -ClientAssertion, or sign in another way (a certificate, a managed identity).");
        }

        private static Uri HttpsUrl(string value, string variable) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && url.Scheme == Uri.UriSchemeHttps
                ? url
                : throw Unavailable($"{variable} is not an https URL, so no OIDC token is requested from it.", $"Check {variable}: the pipeline sets it to its https token endpoint.");

        private static M365AuthenticationException Unavailable(string message, string fix) =>
            new M365AuthenticationException(AuthenticationErrorIds.FederatedTokenUnavailable, message, fix);
    }
}
