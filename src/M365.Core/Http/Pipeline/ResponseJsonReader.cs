using System;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
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
            ArraySegment<byte>? body = await CheckedBodyAsync(response, method, redactedUrl, allowEmpty).ConfigureAwait(false);
            if (body is null)
            {
                return null;
            }

            JsonDocument document = Parse(response, method, redactedUrl, body.Value);

            // "\ud800" alone is legal JSON, yet GetString and TryGetProperty throw InvalidOperationException on it wherever it is
            // read later; such an answer is refused here, once, rather than at every place that reads a string.
            if (MayEscapeASurrogate(body.Value) && !HasOnlyValidStrings(document.RootElement))
            {
                document.Dispose();
                throw BadEscape(response, method, redactedUrl);
            }

            return document;
        }

        /// <summary>
        /// Reads a success answer with <paramref name="parse"/> straight from its bytes (no <see cref="JsonDocument"/>), with the
        /// same refusals as <see cref="ReadAsync"/>; then the body's pooled buffer is returned, so <paramref name="parse"/> must
        /// keep nothing of the bytes (strings it reads are copies).
        /// </summary>
        public static async Task<T> ReadWithAsync<T>(HttpResponseMessage response, string method, string redactedUrl, Func<ArraySegment<byte>, T> parse)
        {
            try
            {
                ArraySegment<byte> body = (await CheckedBodyAsync(response, method, redactedUrl, allowEmpty: false).ConfigureAwait(false))!.Value;
                if (MayEscapeASurrogate(body))
                {
                    // Rare: checked once, whole, as ReadAsync does, so a bad escape is refused wherever it is.
                    using JsonDocument document = Parse(response, method, redactedUrl, body);
                    if (!HasOnlyValidStrings(document.RootElement))
                    {
                        throw BadEscape(response, method, redactedUrl);
                    }
                }

                try
                {
                    return parse(body);
                }
                catch (JsonException ex)
                {
                    throw Malformed(response, method, redactedUrl, ex);
                }
            }
            finally
            {
                (response.Content as BufferedContent)?.ReturnBuffer();
            }
        }

        /// <summary>The body, refused when empty (unless allowed: then null), HTML or not UTF-8.</summary>
        private static async Task<ArraySegment<byte>?> CheckedBodyAsync(HttpResponseMessage response, string method, string redactedUrl, bool allowEmpty)
        {
            int status = (int)response.StatusCode;
            string? mediaType = response.Content?.Headers.ContentType?.MediaType;
            // The sender has read the body already, within its bound; it is parsed where it lies, without another copy.
            ArraySegment<byte> body = response.Content is BufferedContent buffered ? buffered.Bytes
                : response.Content is null ? new ArraySegment<byte>(Array.Empty<byte>())
                : new ArraySegment<byte>(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
            if (body.Count == 0)
            {
                return allowEmpty ? null : throw HttpErrorFactory.NotJson(method, redactedUrl, status, mediaType, "an empty body");
            }

            if (mediaType != null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw HttpErrorFactory.NotJson(method, redactedUrl, status, mediaType, "an HTML page");
            }

            // JSON is UTF-8 (RFC 8259). The parser checks the bytes between tokens but not inside strings, so a string with
            // a byte that is not UTF-8 parses, and GetString and TryGetProperty throw InvalidOperationException on it later.
            if (!IsUtf8(body))
            {
                throw HttpErrorFactory.NotJson(method, redactedUrl, status, mediaType, "text that is not UTF-8");
            }

            return body;
        }

        private static JsonDocument Parse(HttpResponseMessage response, string method, string redactedUrl, ArraySegment<byte> body)
        {
            try
            {
                return JsonDocument.Parse((ReadOnlyMemory<byte>)body);
            }
            catch (JsonException ex)
            {
                throw Malformed(response, method, redactedUrl, ex);
            }
        }

        // The parser's message can quote the body, so only its position is kept.
        private static M365HttpException Malformed(HttpResponseMessage response, string method, string redactedUrl, JsonException ex) =>
            HttpErrorFactory.NotJson(
                method,
                redactedUrl,
                (int)response.StatusCode,
                response.Content?.Headers.ContentType?.MediaType,
                "malformed JSON near byte " + (ex.BytePositionInLine?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"),
                new JsonException("The response body is not valid JSON.", ex.Path, ex.LineNumber, ex.BytePositionInLine));

        private static M365HttpException BadEscape(HttpResponseMessage response, string method, string redactedUrl) =>
            HttpErrorFactory.NotJson(method, redactedUrl, (int)response.StatusCode, response.Content?.Headers.ContentType?.MediaType, "a string escape that is not valid UTF-16");

        private static readonly UTF8Encoding s_strictUtf8 = new UTF8Encoding(false, true);

        [MethodImpl(HotPath.Optimized)]
        private static bool IsUtf8(ArraySegment<byte> body)
        {
            byte[] bytes = body.Array!;
            int end = body.Offset + body.Count;
            int i = body.Offset;
            // ASCII (nearly every Graph page) eight bytes at a time: a page is read here once, whole, before it is parsed.
            while (i + 8 <= end && (BitConverter.ToUInt64(bytes, i) & 0x8080808080808080UL) == 0)
            {
                i += 8;
            }

            while (i < end && bytes[i] < 0x80)
            {
                i++;
            }

            if (i == end)
            {
                return true;
            }

            try
            {
                s_strictUtf8.GetCharCount(bytes, i, end - i);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        [MethodImpl(HotPath.Optimized)]
        private static bool MayEscapeASurrogate(ArraySegment<byte> segment)
        {
            byte[] body = segment.Array!;
            int end = segment.Offset + segment.Count;
            for (int i = Array.IndexOf(body, (byte)'\\', segment.Offset, segment.Count); i >= 0 && i + 3 < end; i = Array.IndexOf(body, (byte)'\\', i + 1, end - i - 1))
            {
                if (body[i + 1] == 'u' && (body[i + 2] | 0x20) == 'd' && "89abcdefABCDEF".IndexOf((char)body[i + 3]) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasOnlyValidStrings(JsonElement element)
        {
            try
            {
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        element.GetString();
                        return true;
                    case JsonValueKind.Array:
                        foreach (JsonElement item in element.EnumerateArray())
                        {
                            if (!HasOnlyValidStrings(item))
                            {
                                return false;
                            }
                        }

                        return true;
                    case JsonValueKind.Object:
                        foreach (JsonProperty property in element.EnumerateObject())
                        {
                            if (property.Name is null || !HasOnlyValidStrings(property.Value))
                            {
                                return false;
                            }
                        }

                        return true;
                    default:
                        return true;
                }
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}
