using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>The JSON form of <see cref="PersistedConnection"/>, written field by field so nothing else can slip in.</summary>
    internal static class PersistedConnectionSerializer
    {
        private const int Version = 1;

        public static byte[] Serialize(PersistedConnection record)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteNumber("version", Version);
                    json.WriteString("name", record.Name);
                    json.WriteString("cloud", record.Cloud);
                    json.WriteString("tenant", record.Tenant);
                    json.WriteString("tenantId", record.TenantId);
                    json.WriteString("tenantDomain", record.TenantDomain);
                    json.WriteString("appId", record.AppId);
                    json.WriteString("appIdSource", record.AppIdSource.ToString());
                    json.WriteString("authType", record.AuthType.ToString());
                    json.WriteString("identity", record.Identity);
                    json.WriteString("accountId", record.AccountId);
                    json.WriteString("protection", record.Protection.ToString());
                    json.WriteBoolean("usesSandbox", record.UsesSandbox);
                    json.WriteString("sandboxDescriptorPath", record.SandboxDescriptorPath);
                    json.WriteString("savedOn", record.SavedOn.ToString("o", CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }

                return buffer.ToArray();
            }
        }

        /// <exception cref="M365Exception"><see cref="PersistenceErrorIds.PersistedConnectionInvalid"/>.</exception>
        public static PersistedConnection Deserialize(byte[] content, string source)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(content))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out JsonElement version) || version.GetInt32() != Version)
                    {
                        throw Invalid(source, "it is not a version " + Version + " connection record", null);
                    }

                    return new PersistedConnection(
                        Required(root, "name", source),
                        Required(root, "cloud", source),
                        Required(root, "tenant", source),
                        Optional(root, "tenantId"),
                        Optional(root, "tenantDomain"),
                        Required(root, "appId", source),
                        ParseEnum<AppIdSource>(root, "appIdSource", source),
                        ParseEnum<AuthenticationType>(root, "authType", source),
                        Required(root, "identity", source),
                        Required(root, "accountId", source),
                        ParseEnum<TokenCacheProtection>(root, "protection", source),
                        root.TryGetProperty("usesSandbox", out JsonElement sandbox) && sandbox.GetBoolean(),
                        Optional(root, "sandboxDescriptorPath"),
                        DateTimeOffset.Parse(Required(root, "savedOn", source), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
            {
                throw Invalid(source, ex.Message, ex);
            }
        }

        private static string Required(JsonElement root, string name, string source) =>
            Optional(root, name) ?? throw Invalid(source, $"the field '{name}' is missing", null);

        private static string? Optional(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
                ? value.GetString()
                : null;

        private static T ParseEnum<T>(JsonElement root, string name, string source)
            where T : struct =>
            Enum.TryParse(Required(root, name, source), ignoreCase: false, out T value) && Enum.IsDefined(typeof(T), value)
                ? value
                : throw Invalid(source, $"the field '{name}' has an unknown value", null);

        private static M365Exception Invalid(string source, string problem, Exception? inner) =>
            new M365Exception(
                PersistenceErrorIds.PersistedConnectionInvalid,
                $"The persisted connection record '{source}' is invalid: {problem}.",
                "Run Disconnect-M365 -Name for it, or delete the file, then Connect-M365 -PersistLogin again.",
                source,
                inner);
    }
}
