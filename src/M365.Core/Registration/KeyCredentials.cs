using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Registration
{
    /// <summary>
    /// The app's certificate (keyCredentials: AsymmetricX509Cert, Verify, the public part as base64 DER). A PATCH of
    /// keyCredentials replaces the list, so the keys the app has are read back with their key and sent again with the new
    /// one; a certificate the app already has (same thumbprint, Graph's customKeyIdentifier) is left as it is.
    /// </summary>
    internal static class KeyCredentials
    {
        public static async Task EnsureAsync(AppDirectory directory, AppRegistrationResult result, X509Certificate2 certificate, CancellationToken ct)
        {
            var keys = await directory.GetKeyCredentialsAsync(result.ObjectId, ct).ConfigureAwait(false);
            if (keys.Any(k => Thumbprint(k) is { } t && string.Equals(t, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)))
            {
                result.Reused.Add("KeyCredential");
                return;
            }

            var list = new List<Dictionary<string, object?>>();
            foreach (var key in keys)
            {
                if (Text(key, "key") is not { } value)
                {
                    throw new M365Exception(
                        RegistrationErrorIds.AppRegistrationIncomplete,
                        $"The app '{result.DisplayName}' ({result.AppId}) has a certificate ({Text(key, "displayName") ?? Text(key, "keyId")}) that Graph did not give back, so the new one cannot be added without removing it.",
                        "Add the certificate in the Entra admin center (App registrations → Certificates & secrets), or remove the other one first.",
                        result.AppId);
                }

                list.Add(new Dictionary<string, object?>
                {
                    ["keyId"] = Text(key, "keyId"),
                    ["type"] = Text(key, "type"),
                    ["usage"] = Text(key, "usage"),
                    ["displayName"] = Text(key, "displayName"),
                    ["key"] = value,
                });
            }

            list.Add(new Dictionary<string, object?>
            {
                ["type"] = "AsymmetricX509Cert",
                ["usage"] = "Verify",
                ["displayName"] = certificate.Subject,
                ["key"] = Convert.ToBase64String(certificate.Export(X509ContentType.Cert)),
            });
            var what = $"add the certificate {certificate.Subject} (thumbprint {certificate.Thumbprint}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}) to keyCredentials, keeping the {keys.Count} it has";
            if (await directory.WriteAsync(AppDirectory.Patch, "applications/" + result.ObjectId, new Dictionary<string, object?> { ["keyCredentials"] = list }, what, ct).ConfigureAwait(false) is not null)
            {
                result.Created.Add("KeyCredential");
            }
        }

        // Graph's customKeyIdentifier of a certificate is its SHA-1 hash (the thumbprint), base64.
        private static string? Thumbprint(JsonElement key)
        {
            try
            {
                if (Text(key, "customKeyIdentifier") is { } id)
                {
                    return BitConverter.ToString(Convert.FromBase64String(id)).Replace("-", string.Empty);
                }

                if (Text(key, "key") is not { } value)
                {
                    return null;
                }

                using var certificate = new X509Certificate2(Convert.FromBase64String(value));
                return certificate.Thumbprint;
            }
            catch (Exception ex) when (ex is FormatException || ex is System.Security.Cryptography.CryptographicException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
