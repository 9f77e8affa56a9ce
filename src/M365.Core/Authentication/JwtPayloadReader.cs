using System;
using System.Collections.Generic;
using System.Text.Json;

namespace M365.Core.Authentication
{
    /// <summary>
    /// Reads the claims of a JWT's payload for display and routing decisions. It never validates the signature:
    /// the resource server does that. Anything that is not a readable JWT yields no claims instead of an error,
    /// because opaque tokens (e.g. from some managed identity endpoints) are legal.
    /// </summary>
    internal static class JwtPayloadReader
    {
        private const int MaxTokenLength = 64 * 1024;

        private static readonly IReadOnlyDictionary<string, object?> s_empty = new Dictionary<string, object?>();

        public static IReadOnlyDictionary<string, object?> ReadClaims(string? token)
        {
            if (string.IsNullOrEmpty(token) || token!.Length > MaxTokenLength)
            {
                return s_empty;
            }

            string[] parts = token.Split('.');
            if (parts.Length != 3 || parts[1].Length == 0)
            {
                return s_empty;
            }

            byte[]? json = DecodeBase64Url(parts[1]);
            if (json is null)
            {
                return s_empty;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
                return document.RootElement.ValueKind == JsonValueKind.Object
                    ? ReadObject(document.RootElement)
                    : s_empty;
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // InvalidOperationException: a string escape that is not valid UTF-16 ("\ud800"), which GetString refuses.
                return s_empty;
            }
        }

        internal static byte[]? DecodeBase64Url(string value)
        {
            var builder = new System.Text.StringBuilder(value.Length + 3);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '-': builder.Append('+'); break;
                    case '_': builder.Append('/'); break;
                    case '=': break;
                    default:
                        bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                        if (!valid)
                        {
                            return null;
                        }

                        builder.Append(c);
                        break;
                }
            }

            switch (builder.Length % 4)
            {
                case 1: return null;
                case 2: builder.Append("=="); break;
                case 3: builder.Append('='); break;
            }

            try
            {
                return Convert.FromBase64String(builder.ToString());
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static IReadOnlyDictionary<string, object?> ReadObject(JsonElement element)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                result[property.Name] = ReadValue(property.Value);
            }

            return result;
        }

        private static object? ReadValue(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number: return element.TryGetInt64(out long whole) ? whole : (object)element.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Object: return ReadObject(element);
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        items.Add(ReadValue(item));
                    }

                    return items;
                default: return null;
            }
        }
    }
}
