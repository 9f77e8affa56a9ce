using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Services
{
    /// <summary>Turns JSON into plain .NET values (string, long, double, bool, null, dictionaries, arrays) that PowerShell shows naturally.</summary>
    public static class JsonValues
    {
        /// <summary>The value of <paramref name="element"/>; objects become case-insensitive dictionaries, arrays object arrays.</summary>
        /// <param name="element">Any JSON element.</param>
        [MethodImpl(HotPath.Optimized)]
        public static object? ToObject(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.TryGetInt64(out long integer) ? integer : (object)element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Object:
                    var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        map[property.Name] = ToObject(property.Value);
                    }

                    return map;
                case JsonValueKind.Array:
                    var list = new object?[element.GetArrayLength()];
                    int i = 0;
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        list[i++] = ToObject(item);
                    }

                    return list;
                default:
                    return null;
            }
        }

        [MethodImpl(HotPath.Optimized)]
        internal static string? String(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) ? String(value) : null;

        [MethodImpl(HotPath.Optimized)]
        internal static string? String(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        [MethodImpl(HotPath.Optimized)]
        internal static bool? Bool(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) ? value.ValueKind == JsonValueKind.True ? true : value.ValueKind == JsonValueKind.False ? false : (bool?)null : null;

        [MethodImpl(HotPath.Optimized)]
        internal static Guid? Guid(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) ? Guid(value) : null;

        /// <summary>A GUID in any format Guid.TryParse takes; the usual "D" form is read without making a string.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal static Guid? Guid(JsonElement value) =>
            value.ValueKind != JsonValueKind.String ? null
            : value.TryGetGuid(out Guid id) || System.Guid.TryParse(value.GetString(), out id) ? id : (Guid?)null;

        internal static int? Int(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n
            : int.TryParse(String(obj, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out n) ? n : (int?)null;

        internal static IReadOnlyList<string> Strings(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) ? Strings(value) : Array.Empty<string>();

        [MethodImpl(HotPath.Optimized)]
        internal static IReadOnlyList<string> Strings(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                return Array.Empty<string>();
            }

            var list = new List<string>(value.GetArrayLength());
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    list.Add(item.GetString()!);
                }
            }

            return list;
        }

        // The same readings from a Utf8JsonReader on a value's first token; each leaves the reader on the value's last token
        // (an object or array it does not take is skipped whole).

        /// <summary>As <see cref="ToObject(JsonElement)"/>, for the value at the reader.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal static object? ToObject(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return reader.TryGetInt64(out long integer) ? integer : (object)reader.GetDouble();
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    using (JsonDocument value = JsonDocument.ParseValue(ref reader))
                    {
                        return ToObject(value.RootElement);
                    }

                default:
                    return null;
            }
        }

        [MethodImpl(HotPath.Optimized)]
        internal static string? String(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
            return null;
        }

        [MethodImpl(HotPath.Optimized)]
        internal static bool? Bool(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                default:
                    reader.Skip();
                    return null;
            }
        }

        /// <summary>As <see cref="Guid(JsonElement)"/>, for the value at the reader.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal static Guid? Guid(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return null;
            }

            return reader.TryGetGuid(out Guid id) || System.Guid.TryParse(reader.GetString(), out id) ? id : (Guid?)null;
        }

        /// <summary>As <see cref="Strings(JsonElement)"/>, for the value at the reader: the array's strings, skipping any other item.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal static IReadOnlyList<string> Strings(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return Array.Empty<string>();
            }

            List<string>? list = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    (list ??= new List<string>(4)).Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }

            return (IReadOnlyList<string>?)list ?? Array.Empty<string>();
        }
    }
}
