using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// Sends a pipeline's OIDC token request and reads the token from its JSON answer. Every failure becomes
    /// <see cref="AuthenticationErrorIds.FederatedTokenRequestFailed"/> naming the source and the status, never the
    /// request token or the answer's body (it may hold the token).
    /// </summary>
    internal static class FederatedTokenResponse
    {
        private const int MaxBodyLength = 256 * 1024;

        public static async Task<string> SendAsync(HttpClient client, HttpRequestMessage request, string property, string source, string fix, CancellationToken cancellationToken)
        {
            string where = request.RequestUri!.GetLeftPart(UriPartial.Path);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                string reason = SecretRedactor.Redact(ex.InnerException?.Message ?? ex.Message).Trim().TrimEnd('.');
                throw Failed($"{source} could not be reached for a federated token at {where}: {reason}.", fix, where, ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed($"{source} did not answer the federated token request to {where} in time.", fix, where, ex);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    string status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + response.ReasonPhrase;
                    throw Failed($"{source} refused the federated token request to {where} with HTTP {status.Trim()}.", fix, where, null);
                }

                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                string? token = body.Length > MaxBodyLength ? null : ReadProperty(body, property);
                if (token is null || JwtPayloadReader.ReadClaims(token).Count == 0)
                {
                    throw Failed($"{source} answered the federated token request to {where} without a token in \"{property}\".", fix, where, null);
                }

                return token;
            }
        }

        private static string? ReadProperty(string body, string property)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(property, out JsonElement value)
                    && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static M365AuthenticationException Failed(string message, string fix, string target, Exception? inner) =>
            new M365AuthenticationException(AuthenticationErrorIds.FederatedTokenRequestFailed, message, fix, target: target, innerException: inner);
    }
}
