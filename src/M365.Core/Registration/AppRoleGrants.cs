using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Registration
{
    /// <summary>
    /// Application permissions granted (admin consent for an app-only registration): one appRoleAssignment per app role,
    /// <c>POST /servicePrincipals/{resource}/appRoleAssignedTo</c>. The app's assignments are read first, so a rerun makes
    /// only those missing (Graph answers a repeated one with 400). A user who may not assign app roles (403) leaves the
    /// rest pending for an administrator.
    /// </summary>
    internal static class AppRoleGrants
    {
        public static async Task EnsureAsync(AppDirectory directory, Action<string>? verbose, AppRegistrationResult result, IReadOnlyList<ResolvedResource> resources, CancellationToken ct)
        {
            var held = await directory.ListAppRoleAssignmentsAsync(result.ServicePrincipalId!, ct).ConfigureAwait(false);
            bool denied = false;
            foreach (var resource in resources)
            {
                bool created = false, reused = false;
                foreach (var role in resource.Scopes)
                {
                    string name = resource.Resource.Name + "/" + role.Name;
                    if (held.Any(a => Same(a, "resourceId", resource.ServicePrincipalId) && Same(a, "appRoleId", role.Id)))
                    {
                        reused = true;
                        result.PermissionsGranted.Add(name);
                        continue;
                    }

                    if (denied)
                    {
                        result.PermissionsPendingConsent.Add(name);
                        continue;
                    }

                    try
                    {
                        var body = new Dictionary<string, object?> { ["principalId"] = result.ServicePrincipalId, ["resourceId"] = resource.ServicePrincipalId, ["appRoleId"] = role.Id };
                        if (await directory.WriteAsync(HttpMethod.Post, "servicePrincipals/" + resource.ServicePrincipalId + "/appRoleAssignedTo", body,
                            $"grant the application permission {name}", ct).ConfigureAwait(false) is not null)
                        {
                            created = true;
                            result.PermissionsGranted.Add(name);
                        }
                    }
                    catch (M365HttpException ex) when (ex.StatusCode == 403)
                    {
                        verbose?.Invoke($"Granting {name} was refused (403): the signed-in user may not grant application permissions.");
                        denied = true;
                        result.PermissionsPendingConsent.Add(name);
                    }
                }

                string label = "Roles:" + resource.Resource.Name;
                (created ? result.Created : reused ? result.Reused : null)?.Add(label);
            }
        }

        private static bool Same(JsonElement item, string property, string value) =>
            item.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), value, StringComparison.OrdinalIgnoreCase);
    }
}
