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

        /// <summary>Reads a record and checks every field: a record is trusted only as far as each value is one M365 writes.</summary>
        /// <exception cref="M365Exception"><see cref="PersistenceErrorIds.PersistedConnectionInvalid"/>.</exception>
        public static PersistedConnection Deserialize(byte[] content, string source)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(content))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid(source, "it is not a JSON object", null);
                    }

                    if (!root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number
                        || !version.TryGetInt32(out int number) || number != Version)
                    {
                        throw Invalid(source, "it is not a version " + Version + " connection record", null);
                    }

                    AuthenticationType authType = ParseEnum<AuthenticationType>(root, "authType", source);
                    if (authType != AuthenticationType.DeviceCode && authType != AuthenticationType.Credential && authType != AuthenticationType.Interactive)
                    {
                        throw Invalid(source, $"the field 'authType' is '{authType}', and only delegated sign-ins (DeviceCode, Interactive, Credential) are persisted", null);
                    }

                    string cloud = Required(root, "cloud", source);
                    if (!Clouds.CloudEnvironment.TryGet(cloud, out _))
                    {
                        throw Invalid(source, $"the field 'cloud' names an unknown cloud '{cloud}'", null);
                    }

                    string tenant = Required(root, "tenant", source);
                    if (!IsTenant(tenant))
                    {
                        throw Invalid(source, "the field 'tenant' is not a tenant id, a domain or 'organizations'", null);
                    }

                    string? tenantId = Optional(root, "tenantId");
                    if (tenantId != null && !Guid.TryParse(tenantId, out _))
                    {
                        throw Invalid(source, "the field 'tenantId' is not a GUID", null);
                    }

                    string? tenantDomain = Optional(root, "tenantDomain");
                    if (tenantDomain != null && !IsDomain(tenantDomain))
                    {
                        throw Invalid(source, "the field 'tenantDomain' is not a domain name", null);
                    }

                    string appId = Required(root, "appId", source);
                    if (!Guid.TryParse(appId, out _))
                    {
                        throw Invalid(source, "the field 'appId' is not a GUID", null);
                    }

                    string accountId = Required(root, "accountId", source);
                    string[] accountParts = accountId.Split('.');
                    if (accountParts.Length != 2 || !Guid.TryParse(accountParts[0], out _) || !Guid.TryParse(accountParts[1], out _))
                    {
                        throw Invalid(source, "the field 'accountId' is not an MSAL home account id (object id.tenant id)", null);
                    }

                    if (!root.TryGetProperty("usesSandbox", out JsonElement sandbox) || (sandbox.ValueKind != JsonValueKind.True && sandbox.ValueKind != JsonValueKind.False))
                    {
                        throw Invalid(source, "the field 'usesSandbox' is missing or not true/false", null);
                    }

                    bool usesSandbox = sandbox.GetBoolean();
                    string? descriptorPath = Optional(root, "sandboxDescriptorPath");
                    if (!usesSandbox && descriptorPath != null)
                    {
                        throw Invalid(source, "it names a sandbox descriptor but says it was not made with the sandbox", null);
                    }

                    if (!DateTimeOffset.TryParse(Required(root, "savedOn", source), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset savedOn))
                    {
                        throw Invalid(source, "the field 'savedOn' is not a date", null);
                    }

                    return new PersistedConnection(
                        Required(root, "name", source),
                        cloud,
                        tenant,
                        tenantId,
                        tenantDomain,
                        appId,
                        ParseEnum<AppIdSource>(root, "appIdSource", source),
                        authType,
                        Required(root, "identity", source),
                        accountId,
                        ParseEnum<TokenCacheProtection>(root, "protection", source),
                        usesSandbox,
                        descriptorPath,
                        savedOn);
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
            {
                throw Invalid(source, ex.Message, ex);
            }
        }

        private static bool IsTenant(string tenant) =>
            Guid.TryParse(tenant, out _) || IsDomain(tenant) || tenant == "organizations" || tenant == "common";

        private static bool IsDomain(string value) =>
            value.Length <= 253 && value.IndexOf('.') > 0 && Uri.CheckHostName(value) == UriHostNameType.Dns;

        private static string Required(JsonElement root, string name, string source) =>
            Optional(root, name) ?? throw Invalid(source, $"the field '{name}' is missing", null);

        private static string? Optional(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
                ? value.GetString()
                : null;

        private static T ParseEnum<T>(JsonElement root, string name, string source)
            where T : struct
        {
            // Names only: Enum.TryParse also takes numbers ("5"), which M365 never writes.
            string text = Required(root, name, source);
            return Array.IndexOf(Enum.GetNames(typeof(T)), text) >= 0 && Enum.TryParse(text, ignoreCase: false, out T value)
                ? value
                : throw Invalid(source, $"the field '{name}' has an unknown value '{text}'", null);
        }

        private static M365Exception Invalid(string source, string problem, Exception? inner) =>
            new M365Exception(
                PersistenceErrorIds.PersistedConnectionInvalid,
                $"The persisted connection record '{source}' is invalid: {problem}.",
                "Run Disconnect-M365 -Name <name> to delete it, then Connect-M365 -PersistLogin -Name <name> to sign in again.",
                source,
                inner);
    }
}
