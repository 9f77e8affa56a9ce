using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// The streaming reader of a service principal: a listing page is read once, with <see cref="Utf8JsonReader"/>, straight
    /// into objects. It keeps <see cref="FromJson(JsonElement)"/>'s rules: a typed field takes its name's exact case, another
    /// case of a modelled name is neither typed nor additional, a repeated name's last value counts, and every other field
    /// goes to <see cref="AdditionalProperties"/> as the same plain .NET values. A modelled name is compared as UTF-8, so no
    /// name string is made for it (making and hashing one per property was a third of the time a listed object took).
    /// </summary>
    public partial class ServicePrincipal
    {
        /// <summary>A new empty one of this type, for a reader to fill.</summary>
        internal static ServicePrincipal Empty() => new ServicePrincipal();

        /// <summary>
        /// Reads the object at the reader (on its <see cref="JsonTokenType.StartObject"/>) into <paramref name="sp"/>, a new empty
        /// one, and leaves the reader on the object's <see cref="JsonTokenType.EndObject"/>.
        /// </summary>
        /// <exception cref="JsonException">The JSON is malformed.</exception>
        [MethodImpl(HotPath.Optimized)]
        internal static ServicePrincipal Read(ref Utf8JsonReader reader, ServicePrincipal sp)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ArgumentException("The reader is not at the start of an object.", nameof(reader));
            }

            Dictionary<string, object?>? additional = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (sp.TryRead(ref reader))
                {
                    continue;
                }

                string name = reader.GetString()!;
                reader.Read();
                if (s_modelled.Contains(name))
                {
                    reader.Skip();
                    continue;
                }

                additional ??= new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                additional[name] = JsonValues.ToObject(ref reader);
            }

            sp.AdditionalProperties = additional ?? s_noAdditional;
            return sp;
        }

        /// <summary>
        /// On a property name: a modelled name reads its value into the field (the reader ends on the value's last token);
        /// false, with the reader still on the name, for any other.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        private bool TryRead(ref Utf8JsonReader reader)
        {
            // In the order Graph writes them, so most names match on the first or second comparison.
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                Id = JsonValues.Guid(ref reader) ?? Guid.Empty;
            }
            else if (reader.ValueTextEquals("accountEnabled"u8))
            {
                reader.Read();
                AccountEnabled = JsonValues.Bool(ref reader);
            }
            else if (reader.ValueTextEquals("appDisplayName"u8))
            {
                reader.Read();
                AppDisplayName = JsonValues.String(ref reader);
            }
            else if (reader.ValueTextEquals("appId"u8))
            {
                reader.Read();
                AppId = JsonValues.Guid(ref reader);
            }
            else if (reader.ValueTextEquals("appOwnerOrganizationId"u8))
            {
                reader.Read();
                AppOwnerOrganizationId = JsonValues.Guid(ref reader);
            }
            else if (reader.ValueTextEquals("displayName"u8))
            {
                reader.Read();
                DisplayName = JsonValues.String(ref reader);
            }
            else if (reader.ValueTextEquals("servicePrincipalNames"u8))
            {
                reader.Read();
                ServicePrincipalNames = JsonValues.Strings(ref reader);
            }
            else if (reader.ValueTextEquals("servicePrincipalType"u8))
            {
                reader.Read();
                ServicePrincipalType = JsonValues.String(ref reader);
            }
            else if (reader.ValueTextEquals("signInAudience"u8))
            {
                reader.Read();
                SignInAudience = JsonValues.String(ref reader);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                Tags = JsonValues.Strings(ref reader);
            }
            else if (reader.ValueTextEquals("appRoles"u8))
            {
                reader.Read();
                AppRoles = Objects(ref reader, AppRole.FromJson);
            }
            else if (reader.ValueTextEquals("oauth2PermissionScopes"u8))
            {
                reader.Read();
                Oauth2PermissionScopes = Objects(ref reader, PermissionScope.FromJson);
            }
            else
            {
                return false;
            }

            return true;
        }

        /// <summary>An array of objects: none without parsing, else parsed as one small document and read as <see cref="FromJson(JsonElement)"/> does.</summary>
        private static IReadOnlyList<T> Objects<T>(ref Utf8JsonReader reader, Func<JsonElement, T> read)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return Array.Empty<T>();
            }

            // A copy of the reader looks one token ahead: most service principals expose no roles or scopes.
            Utf8JsonReader probe = reader;
            if (probe.Read() && probe.TokenType == JsonTokenType.EndArray)
            {
                reader = probe;
                return Array.Empty<T>();
            }

            using JsonDocument array = JsonDocument.ParseValue(ref reader);
            return Objects(array.RootElement, read);
        }
    }
}
