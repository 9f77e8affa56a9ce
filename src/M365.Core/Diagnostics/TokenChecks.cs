using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Resources;

namespace M365.Core.Diagnostics
{
    /// <summary>The checks of one resource's token: can one be had now, its audience, scopes or roles, expiry and CAE capability.</summary>
    internal static class TokenChecks
    {
        /// <summary>Adds the resource's checks to <paramref name="checks"/>; returns the token (never shown), or null when none could be had.</summary>
        public static async Task<AccessToken?> RunAsync(Connection connection, M365Resource resource, List<ConnectionCheck> checks, CancellationToken cancellationToken)
        {
            string name = resource.Kind == ResourceKind.Other ? resource.ResourceId : resource.Kind.ToString();
            AccessToken token;
            try
            {
                // A new token, not the cached one: a revoked sign-in or withdrawn consent shows only when Entra ID is asked.
                bool fresh = connection.AuthType != AuthenticationType.AccessToken;
                token = await connection.Tokens.GetTokenAsync(resource, forceRefresh: fresh, cancellationToken).ConfigureAwait(false);
            }
            catch (M365AuthenticationException ex)
            {
                string code = ex.AadstsCode is { } aadsts ? $" (AADSTS{aadsts})" : string.Empty;
                checks.Add(new ConnectionCheck("Token", CheckResult.Fail, $"No token for {resource.ResourceId}: {ex.ErrorId}{code}: {ex.Message}", ex.RecommendedAction, name));
                return null;
            }

            DateTimeOffset now = connection.Time.GetUtcNow();
            TimeSpan left = token.ExpiresOn - now;
            checks.Add(left > TimeSpan.Zero
                ? new ConnectionCheck("Token", CheckResult.Pass, $"A token for {resource.ResourceId}, audience {token.GetString("aud") ?? resource.ResourceId}, expires {token.ExpiresOn:u} (in {Durations.Describe(left >= TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(Math.Floor(left.TotalMinutes)) : TimeSpan.FromSeconds(Math.Round(left.TotalSeconds)))}).", null, name)
                : new ConnectionCheck("Token", CheckResult.Fail, $"The token for {resource.ResourceId} expired at {token.ExpiresOn:u}.", "Bring a new token, or sign in with Connect-M365.", name));
            checks.Add(Permissions(token, resource, name));
            checks.Add(Cae(connection, token, name));
            return left > TimeSpan.Zero ? token : null;
        }

        private static ConnectionCheck Permissions(AccessToken token, M365Resource resource, string name)
        {
            if (token.Roles.Count > 0)
            {
                return new ConnectionCheck("Permissions", CheckResult.Pass, "App roles (roles): " + string.Join(" ", token.Roles), null, name);
            }

            if (token.Scopes.Count > 0)
            {
                return new ConnectionCheck("Permissions", CheckResult.Pass, "Delegated scopes (scp): " + string.Join(" ", token.Scopes), null, name);
            }

            return new ConnectionCheck("Permissions", CheckResult.Warning, $"The token for {resource.ResourceId} carries no scope (scp) and no app role (roles): the app has no permission on it.", "Grant the app the permissions it needs on this resource (API permissions), and admin consent.", name);
        }

        private static ConnectionCheck Cae(Connection connection, AccessToken token, string name)
        {
            bool capable = Values(token.Claims.TryGetValue("xms_cc", out object? cc) ? cc : null).Contains("cp1", StringComparer.Ordinal);
            string declared = connection.AuthType == AuthenticationType.AccessToken
                ? "a supplied token: this connection asks Entra ID for nothing"
                : "this connection declares the client capability " + string.Join(",", MsalSetup.ClientCapabilities);
            return capable
                ? new ConnectionCheck("CAE", CheckResult.Pass, $"The token is CAE-capable (xms_cc cp1); {declared}.", null, name)
                : new ConnectionCheck("CAE", CheckResult.Warning, $"The token does not say it is CAE-capable (no xms_cc cp1); {declared}. It works, but a revocation reaches it only when it expires.", "Nothing to do for the module; a token from Connect-M365 asks for CAE.", name);
        }

        /// <summary>What the module's own cmdlets need, against the tokens got (by resource kind).</summary>
        public static IEnumerable<ConnectionCheck> Permissions(Connection connection, IReadOnlyDictionary<ResourceKind, AccessToken> tokens)
        {
            foreach (CmdletPermission need in CmdletPermissions.All)
            {
                string check = "Permission:" + need.Cmdlet;
                bool appOnly = connection.IsAppOnly;
                string wanted = string.Join(" or ", need.For(appOnly)) + (appOnly ? " (application)" : " (delegated)") + " on " + need.Resource;
                if (!tokens.TryGetValue(need.Resource, out AccessToken? token))
                {
                    yield return new ConnectionCheck(check, CheckResult.Warning, $"Not checked: no {need.Resource} token was checked; {need.Cmdlet} needs {wanted}.", $"Run Test-M365Connection -Resource {need.Resource}.", need.Resource.ToString());
                    continue;
                }

                bool tokenIsAppOnly = token.Roles.Count > 0 || (token.Scopes.Count == 0 && appOnly);
                IEnumerable<string> granted = tokenIsAppOnly ? token.Roles : token.Scopes;
                yield return need.IsMet(tokenIsAppOnly, granted)
                    ? new ConnectionCheck(check, CheckResult.Pass, $"{need.Cmdlet} needs {wanted}; the token has it.", null, need.Resource.ToString())
                    : new ConnectionCheck(check, CheckResult.Fail, $"{need.Cmdlet} needs {wanted}; the token has none of them.", $"Add {string.Join(" or ", need.For(tokenIsAppOnly))} ({(tokenIsAppOnly ? "Application" : "Delegated")}) on {need.Resource} to the app's API permissions and grant admin consent, then run Connect-M365 again.", need.Resource.ToString());
            }
        }

        private static IEnumerable<string> Values(object? claim) => claim switch
        {
            null => Enumerable.Empty<string>(),
            string text => text.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries),
            IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? string.Empty),
            _ => new[] { claim.ToString() ?? string.Empty },
        };
    }
}
