using System;
using System.IO;
using System.Text.Json;

namespace M365.Core.Settings
{
    /// <summary>settings.json: <c>{"appId": "…", "tenant": "…", "environment": "…"}</c>. Unknown members are kept out, not refused (a newer version may add some).</summary>
    internal static class SettingsJson
    {
        public static M365Settings Parse(byte[] bytes, string path)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw SettingsFile.Invalid($"The settings file '{path}' does not hold a JSON object.", null, path);
                }

                string? appId = Member(root, "appId", path);
                string? tenant = Member(root, "tenant", path);
                string? environment = Member(root, "environment", path);
                try
                {
                    return new M365Settings(
                        appId is null ? null : SettingsValues.AppId(appId),
                        tenant is null ? null : SettingsValues.Tenant(tenant),
                        environment is null ? null : SettingsValues.Environment(environment));
                }
                catch (M365Exception ex) when (ex.ErrorId == SettingsErrorIds.SettingValueInvalid)
                {
                    throw SettingsFile.Invalid($"The settings file '{path}' holds a value M365 cannot use: {ex.Message}", ex, path);
                }
            }
            catch (JsonException ex)
            {
                throw SettingsFile.Invalid($"The settings file '{path}' is not valid JSON (line {ex.LineNumber + 1}).", ex, path);
            }
        }

        public static byte[] Serialize(M365Settings settings)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                Write(json, "appId", settings.AppId);
                Write(json, "tenant", settings.Tenant);
                Write(json, "environment", settings.Environment);
                json.WriteEndObject();
            }

            return buffer.ToArray();
        }

        private static string? Member(JsonElement root, string name, string path)
        {
            if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw SettingsFile.Invalid($"The settings file '{path}' has a '{name}' that is not a string.", null, path);
            }

            return value.GetString();
        }

        private static void Write(Utf8JsonWriter json, string name, string? value)
        {
            if (value != null)
            {
                json.WriteString(name, value);
            }
        }
    }
}
