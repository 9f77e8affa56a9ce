using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Diagnostics
{
    /// <summary>
    /// The app registration as Graph shows it, read-only: public client flows allowed, <c>http://localhost</c> registered (for
    /// browser sign-in), consent granted. A read Graph refuses (403, 404) is a Warning saying so, never a failure.
    /// </summary>
    internal static class AppRegistrationChecks
    {
        private const string Localhost = "http://localhost";

        public static async Task<IReadOnlyList<ConnectionCheck>> RunAsync(Connection connection, AccessToken graph, ResourceRequestSender sender, CancellationToken cancellationToken)
        {
            var checks = new List<ConnectionCheck>();
            string? appId = connection.AppId;
            if (appId is null || !Guid.TryParse(appId, out _))
            {
                return checks;
            }

            string filter = Uri.EscapeDataString($"appId eq '{appId}'");
            var (application, problem) = await ReadFirstAsync(connection, sender, $"v1.0/applications?$filter={filter}&$select=appId,displayName,isFallbackPublicClient,publicClient", cancellationToken).ConfigureAwait(false);
            if (application is null)
            {
                checks.Add(new ConnectionCheck("AppRegistration", CheckResult.Warning,
                    problem ?? $"Microsoft Graph shows no application with the app id {appId} in this tenant (an app of another tenant has only a service principal here).",
                    problem is null ? null : "Reading the registration needs Application.Read.All (or Directory.Read.All); without it the public-client and redirect-URI checks are skipped.", "Graph"));
            }
            else
            {
                checks.AddRange(Registration(connection, application.Value));
            }

            checks.Add(await ConsentAsync(connection, sender, appId, filter, cancellationToken).ConfigureAwait(false));
            return checks;
        }

        private static IEnumerable<ConnectionCheck> Registration(Connection connection, JsonElement app)
        {
            string display = Text(app, "displayName") ?? "(no name)";
            yield return new ConnectionCheck("AppRegistration", CheckResult.Pass, $"'{display}' ({connection.AppId}) is registered in this tenant.", null, "Graph");
            bool publicClient = app.TryGetProperty("isFallbackPublicClient", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
            bool needsPublicClient = connection.AuthType == AuthenticationType.DeviceCode || connection.AuthType == AuthenticationType.Credential;
            if (connection.IsAppOnly)
            {
                // An app-only sign-in uses neither public client flows nor a redirect URI: nothing to say about them.
                yield return new ConnectionCheck("PublicClientFlows", CheckResult.Pass, $"\"Allow public client flows\" is {(publicClient ? "on" : "off")}; an app-only sign-in does not use them.", null, "Graph");
                yield break;
            }

            yield return publicClient
                ? new ConnectionCheck("PublicClientFlows", CheckResult.Pass, "\"Allow public client flows\" is on (isFallbackPublicClient): device code works.", null, "Graph")
                : new ConnectionCheck("PublicClientFlows", needsPublicClient ? CheckResult.Fail : CheckResult.Warning,
                    "\"Allow public client flows\" is off (isFallbackPublicClient false): device code and password sign-ins with this app fail with AADSTS7000218.",
                    "In the app registration, under Authentication, turn on \"Allow public client flows\".", "Graph");
            var uris = app.TryGetProperty("publicClient", out JsonElement client) && client.ValueKind == JsonValueKind.Object
                && client.TryGetProperty("redirectUris", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList()
                : new List<string>();
            yield return uris.Any(u => u.TrimEnd('/').Equals(Localhost, StringComparison.OrdinalIgnoreCase))
                ? new ConnectionCheck("RedirectUri", CheckResult.Pass, $"{Localhost} is a public-client redirect URI (browser sign-in can answer on any local port).", null, "Graph")
                : new ConnectionCheck("RedirectUri", CheckResult.Warning,
                    $"{Localhost} is not among the public-client redirect URIs ({(uris.Count == 0 ? "none" : string.Join(", ", uris))}): browser sign-in would fail with AADSTS50011.",
                    $"Add {Localhost} under Authentication, \"Mobile and desktop applications\", in the app registration.", "Graph");
        }

        private static async Task<ConnectionCheck> ConsentAsync(Connection connection, ResourceRequestSender sender, string appId, string filter, CancellationToken cancellationToken)
        {
            var (principal, problem) = await ReadFirstAsync(connection, sender, $"v1.0/servicePrincipals?$filter={filter}&$select=id,appId,displayName", cancellationToken).ConfigureAwait(false);
            string? id = principal is { } p ? Text(p, "id") : null;
            if (id is null)
            {
                return new ConnectionCheck("Consent", CheckResult.Warning, problem ?? $"Microsoft Graph shows no service principal for {appId}, so its consent could not be read.", "An administrator can check the app under Enterprise applications, Permissions.", "Graph");
            }

            string path = connection.IsAppOnly
                ? $"v1.0/servicePrincipals/{id}/appRoleAssignments"
                : $"v1.0/oauth2PermissionGrants?$filter={Uri.EscapeDataString($"clientId eq '{id}'")}";
            var (grants, readProblem) = await ReadAllAsync(connection, sender, path, cancellationToken).ConfigureAwait(false);
            if (grants is null)
            {
                return new ConnectionCheck("Consent", CheckResult.Warning, readProblem!, "The token checks above show what was granted; an administrator can check the app under Enterprise applications, Permissions.", "Graph");
            }

            if (grants.Count == 0)
            {
                return new ConnectionCheck("Consent", CheckResult.Fail,
                    $"No {(connection.IsAppOnly ? "app role assignment" : "delegated permission grant")} for the app's service principal {id}.",
                    "An administrator grants consent: in Entra ID, Enterprise applications, the app, Permissions, \"Grant admin consent\".", "Graph");
            }

            string what = connection.IsAppOnly ? $"{grants.Count} app role assignment(s)" : string.Join("; ", grants.Select(g => (Text(g, "consentType") ?? "?") + ": " + (Text(g, "scope") ?? string.Empty).Trim()));
            return new ConnectionCheck("Consent", CheckResult.Pass, "Consent granted: " + what + ".", null, "Graph");
        }

        private static async Task<(JsonElement? First, string? Problem)> ReadFirstAsync(Connection connection, ResourceRequestSender sender, string path, CancellationToken cancellationToken)
        {
            var (all, problem) = await ReadAllAsync(connection, sender, path, cancellationToken).ConfigureAwait(false);
            return (all?.FirstOrDefault() is { ValueKind: JsonValueKind.Object } first ? first : (JsonElement?)null, problem);
        }

        /// <summary>The <c>value</c> of one Graph read (its first page; the lists asked for are short), or why it could not be read.</summary>
        private static async Task<(List<JsonElement>? Items, string? Problem)> ReadAllAsync(Connection connection, ResourceRequestSender sender, string path, CancellationToken cancellationToken)
        {
            var url = new Uri(connection.Resources.Graph.Origin, path);
            try
            {
                using JsonDocument document = await sender.GetJsonAsync(url, cancellationToken).ConfigureAwait(false);
                JsonElement root = document.RootElement;
                var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Select(e => e.Clone()).ToList()
                    : new List<JsonElement>();
                return (items, null);
            }
            catch (M365HttpException ex)
            {
                string status = ex.StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer";
                return (null, $"Could not read {url.AbsolutePath} from Microsoft Graph ({status} {ex.ServiceErrorCode ?? ex.ErrorId}).");
            }
            catch (M365Exception ex) when (!(ex is M365AuthenticationException))
            {
                return (null, $"Could not read {url.AbsolutePath} from Microsoft Graph ({ex.ErrorId}).");
            }
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
