using System;
using System.Text;
using System.Text.Json;
using M365.Core.Authentication;

namespace M365.Core.Http
{
    /// <summary>
    /// Reads the service's own error code and message from an error body: Graph <c>{"error":{"code","message"}}</c>,
    /// SharePoint <c>{"odata.error":{"code","message":{"value"}}}</c> or its verbose <c>{"error":{"code","message":{"value"}}}</c>.
    /// Only those two fields are ever kept (redacted and shortened), never the body itself, which could echo secrets.
    /// </summary>
    internal static class ServiceErrorReader
    {
        internal const int MaxBodyBytes = 64 * 1024;
        private const int MaxCodeLength = 100;
        private const int MaxMessageLength = 500;

        /// <summary>The code and message, each null when the body does not say.</summary>
        public static (string? Code, string? Message) Read(byte[]? body)
        {
            if (body is null || body.Length == 0 || body.Length > MaxBodyBytes)
            {
                return (null, null);
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return (null, null);
                }

                if (!root.TryGetProperty("error", out JsonElement error) && !root.TryGetProperty("odata.error", out error))
                {
                    return (null, null);
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    // OAuth-style bodies: {"error":"invalid_token","error_description":"..."}.
                    string? description = root.TryGetProperty("error_description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    return (Clean(error.GetString(), MaxCodeLength), Clean(description, MaxMessageLength));
                }

                if (error.ValueKind != JsonValueKind.Object)
                {
                    return (null, null);
                }

                string? code = error.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                string? message = null;
                if (error.TryGetProperty("message", out JsonElement m))
                {
                    message = m.ValueKind == JsonValueKind.String ? m.GetString()
                        : m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()
                        : null;
                }

                return (Clean(code, MaxCodeLength), Clean(message, MaxMessageLength));
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                return (null, null);
            }
        }

        private static string? Clean(string? text, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var builder = new StringBuilder(Math.Min(text!.Length, maxLength));
            foreach (char ch in text)
            {
                // Control characters could forge extra lines in a console or log.
                builder.Append(char.IsControl(ch) ? ' ' : ch);
            }

            string redacted = SecretRedactor.Redact(builder.ToString().Trim());
            return redacted.Length <= maxLength ? redacted : redacted.Substring(0, maxLength) + "…";
        }
    }
}
