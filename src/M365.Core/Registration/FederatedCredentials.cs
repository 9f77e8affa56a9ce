using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Registration
{
    /// <summary>
    /// The app's federated identity credentials: each one asked for is added unless the app already has one with that issuer
    /// and subject (then kept, whatever its name); a credential of that name for another pipeline is an error, never replaced.
    /// </summary>
    internal static class FederatedCredentials
    {
        public static async Task EnsureAsync(AppDirectory directory, AppRegistrationResult result, IReadOnlyList<FederatedCredentialRequest> requests, CancellationToken ct)
        {
            if (requests.Count == 0)
            {
                return;
            }

            var existing = await directory.ListFederatedCredentialsAsync(result.ObjectId, ct).ConfigureAwait(false);
            foreach (var request in requests)
            {
                if (existing.Any(c => Text(c, "issuer") == request.Issuer && Text(c, "subject") == request.Subject))
                {
                    result.Reused.Add("FederatedCredential:" + request.Name);
                    result.FederatedCredentials.Add(request);
                    continue;
                }

                if (existing.Any(c => string.Equals(Text(c, "name"), request.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new M365Exception(
                        RegistrationErrorIds.FederatedCredentialConflict,
                        $"The app '{result.DisplayName}' ({result.AppId}) already has a federated credential named '{request.Name}' for another issuer or subject; it is left alone.",
                        "Delete that credential (Entra admin center: Certificates & secrets → Federated credentials) if it is stale, then run Register-M365App again.",
                        request.Name);
                }

                var body = new Dictionary<string, object?>
                {
                    ["name"] = request.Name,
                    ["issuer"] = request.Issuer,
                    ["subject"] = request.Subject,
                    ["audiences"] = new[] { FederatedCredentialRequest.ExchangeAudience },
                    ["description"] = request.Description,
                };
                if (await directory.WriteAsync(HttpMethod.Post, $"applications/{result.ObjectId}/federatedIdentityCredentials", body,
                    $"trust {request.Source} tokens with issuer {request.Issuer} and subject {request.Subject}", ct).ConfigureAwait(false) is not null)
                {
                    result.Created.Add("FederatedCredential:" + request.Name);
                    result.FederatedCredentials.Add(request);
                }
            }
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
