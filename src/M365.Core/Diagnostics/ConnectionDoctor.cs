using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Connections;
using M365.Core.Resources;

namespace M365.Core.Diagnostics
{
    /// <summary>
    /// Checks a connection the way <c>m365 cli doctor</c> does, and says what is wrong: one <see cref="ConnectionCheck"/> per
    /// check. It sends only token requests (through the connection's token store) and read-only Graph calls, never writes a
    /// token anywhere, and a check that cannot be made is a Warning, never a failure of the whole run.
    /// </summary>
    public static class ConnectionDoctor
    {
        /// <summary>Runs every check.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="options">Versions and resources; null for the defaults.</param>
        /// <param name="cancellationToken">Cancels the token requests and Graph calls.</param>
        /// <returns>The checks, and the errors of the resource names that could not be resolved (<see cref="ResourceErrorIds.ResourceNameUnknown"/>, …), each checked no further.</returns>
        public static async Task<DiagnosticsReport> RunAsync(Connection connection, DiagnosticsOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            options ??= new DiagnosticsOptions();
            var checks = new List<ConnectionCheck>(SessionChecks(connection, options));
            var tokens = new Dictionary<ResourceKind, AccessToken>();
            var errors = new List<M365Exception>();
            foreach (M365Resource resource in await ResourcesToCheckAsync(connection, options, errors, cancellationToken).ConfigureAwait(false))
            {
                AccessToken? token = await TokenChecks.RunAsync(connection, resource, checks, cancellationToken).ConfigureAwait(false);
                if (token != null && !tokens.ContainsKey(resource.Kind))
                {
                    tokens[resource.Kind] = token;
                }
            }

            checks.AddRange(TokenChecks.Permissions(connection, tokens));
            if (connection.AuthType == AuthenticationType.ManagedIdentity || connection.AuthType == AuthenticationType.AccessToken)
            {
                // A managed identity has a service principal but no app registration; a supplied token's app is not ours to check.
                checks.Add(new ConnectionCheck("AppRegistration", CheckResult.Pass, $"Not applicable: a {connection.AuthType} connection has no app registration of its own to check."));
            }
            else if (tokens.TryGetValue(ResourceKind.Graph, out AccessToken? graph))
            {
                checks.AddRange(await AppRegistrationChecks.RunAsync(connection, graph, options.Sender ?? connection.Requests, cancellationToken).ConfigureAwait(false));
            }
            else if (connection.AppId != null)
            {
                checks.Add(new ConnectionCheck("AppRegistration", CheckResult.Warning, "Not checked: the app registration is read from Microsoft Graph, and this check had no Graph token.", "Run Test-M365Connection -Resource Graph."));
                if (GraphConsentMissing(connection) is { } consent)
                {
                    checks.Add(consent);
                }
            }

            checks.Add(SessionErrors(connection));
            return new DiagnosticsReport(checks, errors);
        }

        private static IEnumerable<ConnectionCheck> SessionChecks(Connection connection, DiagnosticsOptions options)
        {
            yield return AppId(connection);
            string? tenant = connection.TenantDomain != null && connection.TenantId != null ? $"{connection.TenantDomain} ({connection.TenantId})" : connection.TenantId ?? connection.TenantDomain;
            yield return tenant is null
                ? new ConnectionCheck("Tenant", CheckResult.Warning, "The tenant is not known: the token carried no tid claim.", "Connect with -Tenant <tenant>.onmicrosoft.com.")
                : new ConnectionCheck("Tenant", CheckResult.Pass, tenant);
            yield return new ConnectionCheck("Cloud", CheckResult.Pass, $"{connection.Cloud.Name} (sign-in at {connection.Cloud.AuthorityHost})");
            yield return SignInType(connection);
            yield return new ConnectionCheck("ModuleVersion", CheckResult.Pass, options.ModuleVersion ?? typeof(ConnectionDoctor).Assembly.GetName().Version?.ToString() ?? "unknown");
            yield return new ConnectionCheck("PowerShellVersion", CheckResult.Pass, options.PowerShellVersion ?? "unknown");
            yield return TokenCache(connection);
        }

        private static ConnectionCheck AppId(Connection connection)
        {
            if (connection.AppId is null)
            {
                return new ConnectionCheck("AppId", CheckResult.Pass, $"None: a {connection.AuthType} connection has no app id of its own (AppIdSource {connection.AppIdSource}).");
            }

            string evidence = $"{connection.AppId} (AppIdSource {connection.AppIdSource}: {SourceText(connection.AppIdSource)})";
            return connection.AppIdSource == AppIdSource.Default
                ? new ConnectionCheck("AppId", CheckResult.Warning, evidence,
                    $"Microsoft removed the PnP Management Shell app ({SignInOptions.PnPManagementShellAppId}) from tenants in 2024: register your own public-client app in Entra ID and save it once with Set-M365Setting -AppId <id>.")
                : new ConnectionCheck("AppId", CheckResult.Pass, evidence);
        }

        internal static string SourceText(AppIdSource source) => source switch
        {
            AppIdSource.Parameter => "the -AppId parameter",
            AppIdSource.AadAppIdVariable => "$env:" + SignInOptions.AadAppIdVariable,
            AppIdSource.EntraAppIdVariable => "$env:" + SignInOptions.EntraAppIdVariable,
            AppIdSource.Setting => "the saved default, Set-M365Setting",
            AppIdSource.Token => "the token's claims",
            _ => "the built-in default, the PnP Management Shell app",
        };

        private static ConnectionCheck SignInType(Connection connection)
        {
            string evidence = $"{connection.AuthType} as {connection.Identity}{(connection.IsAppOnly ? " (app-only)" : " (delegated)")}";
            return connection.AuthType == AuthenticationType.AccessToken
                ? new ConnectionCheck("SignInType", CheckResult.Warning, evidence + "; a supplied token is never refreshed and serves one resource only.", "Sign in with Connect-M365 (device code, certificate or managed identity) for a connection that renews its tokens.")
                : new ConnectionCheck("SignInType", CheckResult.Pass, evidence);
        }

        private static ConnectionCheck TokenCache(Connection connection)
        {
            TokenCacheProtection protection = connection.TokenCacheProtection;
            return protection switch
            {
                TokenCacheProtection.InMemory => new ConnectionCheck("TokenCache", CheckResult.Pass, "Not persisted: the tokens live in this process's memory only."),
                TokenCacheProtection.Unencrypted => new ConnectionCheck("TokenCache", CheckResult.Warning, "Persisted unencrypted (-AllowUnencryptedTokenCache), in a file only you can read (mode 0600).", connection.TokenCacheWarning ?? "Set up a keyring, then Connect-M365 -PersistLogin without -AllowUnencryptedTokenCache."),
                _ => new ConnectionCheck("TokenCache", CheckResult.Pass, $"Persisted (-PersistLogin), protected by the OS keyring (DPAPI, Keychain or libsecret)."),
            };
        }

        private static async Task<IReadOnlyList<M365Resource>> ResourcesToCheckAsync(Connection connection, DiagnosticsOptions options, List<M365Exception> errors, CancellationToken cancellationToken)
        {
            var resources = new List<M365Resource>();
            if (options.Resources.Count > 0)
            {
                foreach (string name in options.Resources)
                {
                    try
                    {
                        resources.Add(await connection.ResolveResourceAsync(name, options.Sender, cancellationToken).ConfigureAwait(false));
                    }
                    catch (M365Exception ex)
                    {
                        errors.Add(ex);
                    }
                }
            }
            else
            {
                resources.AddRange(connection.Tokens.Snapshot().Select(info => info.Resource));
                if (resources.Count == 0 && connection.AuthType != AuthenticationType.AccessToken)
                {
                    resources.Add(connection.Resources.Graph);
                }
            }

            return resources.GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
        }

        /// <summary>
        /// When Entra ID refused the Graph token for want of consent (AADSTS65001), the grants cannot be read, but that refusal
        /// is itself the evidence: the Consent check fails with the admin-consent URL of the app.
        /// </summary>
        private static ConnectionCheck? GraphConsentMissing(Connection connection)
        {
            var graph = connection.Resources.Graph;
            TokenError? refused = connection.Tokens.RecentErrors.LastOrDefault(e => e.ErrorId == AuthenticationErrorIds.ConsentRequired
                && string.Equals(e.ResourceId.TrimEnd('/'), graph.ResourceId.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
            if (refused is null)
            {
                return null;
            }

            string url = Registration.AdminConsentUrl.For(connection.Cloud, connection.TenantId ?? connection.TenantDomain ?? "organizations", connection.AppId!, new[] { Registration.RegisteredResource.Graph.AppId });
            return new ConnectionCheck("Consent", CheckResult.Fail,
                $"Entra ID gives no Microsoft Graph token to the app {connection.AppId}: nobody consented to it ({refused.ErrorId}, AADSTS{refused.AadstsCode}).",
                $"An administrator grants consent: in Entra ID, Enterprise applications, the app, Permissions, \"Grant admin consent\", or by opening {url}", "Graph");
        }

        private static ConnectionCheck SessionErrors(Connection connection)
        {
            IReadOnlyList<TokenError> errors = connection.Tokens.RecentErrors;
            if (errors.Count == 0)
            {
                return new ConnectionCheck("SessionErrors", CheckResult.Pass, "No sign-in or token error in this session.");
            }

            var fixes = errors.Select(e => e.RecommendedAction).Where(f => !string.IsNullOrEmpty(f)).Distinct(StringComparer.Ordinal);
            string evidence = string.Join("; ", errors.Select(e => e.ToString() + ": " + e.Message));
            return new ConnectionCheck("SessionErrors", CheckResult.Warning, evidence, string.Join(" ", fixes));
        }
    }
}
