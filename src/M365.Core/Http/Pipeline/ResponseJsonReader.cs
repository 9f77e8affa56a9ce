using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>Reads a success answer as JSON, or fails with <see cref="HttpErrorIds.ResponseNotJson"/> for HTML, malformed or empty bodies.</summary>
    internal static class ResponseJsonReader
    {
        /// <summary>The parsed body; null only when <paramref name="allowEmpty"/> and the answer has no body (e.g. 204).</summary>
        public static async Task<JsonDocument?> ReadAsync(HttpResponseMessage response, string method, string redactedUrl, bool allowEmpty)
        {
            int status = (int)response.StatusCode;
            string? mediaType = response.Content?.Headers.ContentType?.MediaType;
            byte[] body = response.Content is null ? Array.Empty<byte>() : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (body.Length == 0)
            {
                return allowEmpty ? null : throw HttpErrorFactory.NotJson(method, redactedUrl, status, mediaType, "an empty body");
            }

            if (mediaType != null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw HttpErrorFactory.NotJson(method, redactedUrl, status, mediaType, "an HTML page");
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                // The parser's message can quote the body, so only its position is kept.
                throw HttpErrorFactory.NotJson(
                    method,
                    redactedUrl,
                    status,
                    mediaType,
                    "malformed JSON near byte " + (ex.BytePositionInLine?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"),
                    new JsonException("The response body is not valid JSON.", ex.Path, ex.LineNumber, ex.BytePositionInLine));
            }
        }
    }
}
