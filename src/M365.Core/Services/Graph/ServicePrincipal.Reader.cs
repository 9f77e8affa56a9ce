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

        /// <summary>The modelled fields, by the name Graph gives each.</summary>
        private enum Field
        {
            None,
            Id,
            AccountEnabled,
            AppDisplayName,
            AppId,
            AppOwnerOrganizationId,
            DisplayName,
            ServicePrincipalNames,
            ServicePrincipalType,
            SignInAudience,
            Tags,
            AppRoles,
            Oauth2PermissionScopes,
        }

        /// <summary>
        /// On a property name: a modelled name reads its value into the field (the reader ends on the value's last token);
        /// false, with the reader still on the name, for any other.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        private bool TryRead(ref Utf8JsonReader reader)
        {
            Field field = FieldOf(ref reader);
            if (field == Field.None)
            {
                return false;
            }

            reader.Read();
            switch (field)
            {
                case Field.Id: Id = JsonValues.Guid(ref reader) ?? Guid.Empty; break;
                case Field.AccountEnabled: AccountEnabled = JsonValues.Bool(ref reader); break;
                case Field.AppDisplayName: AppDisplayName = JsonValues.String(ref reader); break;
                case Field.AppId: AppId = JsonValues.Guid(ref reader); break;
                case Field.AppOwnerOrganizationId: AppOwnerOrganizationId = JsonValues.Guid(ref reader); break;
                case Field.DisplayName: DisplayName = JsonValues.String(ref reader); break;
                case Field.ServicePrincipalNames: ServicePrincipalNames = JsonValues.Strings(ref reader); break;
                case Field.ServicePrincipalType: ServicePrincipalType = JsonValues.String(ref reader); break;
                case Field.SignInAudience: SignInAudience = JsonValues.String(ref reader); break;
                case Field.Tags: Tags = JsonValues.Strings(ref reader); break;
                case Field.AppRoles: AppRoles = Objects(ref reader, AppRole.FromJson); break;
                default: Oauth2PermissionScopes = Objects(ref reader, PermissionScope.FromJson); break;
            }

            return true;
        }

        /// <summary>The field a property name (exact case) stands for; tried in the order Graph writes them, so most match at once.</summary>
        [MethodImpl(HotPath.Optimized)]
        private static Field FieldOf(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("id"u8) ? Field.Id
            : reader.ValueTextEquals("accountEnabled"u8) ? Field.AccountEnabled
            : reader.ValueTextEquals("appDisplayName"u8) ? Field.AppDisplayName
            : reader.ValueTextEquals("appId"u8) ? Field.AppId
            : reader.ValueTextEquals("appOwnerOrganizationId"u8) ? Field.AppOwnerOrganizationId
            : reader.ValueTextEquals("displayName"u8) ? Field.DisplayName
            : reader.ValueTextEquals("servicePrincipalNames"u8) ? Field.ServicePrincipalNames
            : reader.ValueTextEquals("servicePrincipalType"u8) ? Field.ServicePrincipalType
            : reader.ValueTextEquals("signInAudience"u8) ? Field.SignInAudience
            : reader.ValueTextEquals("tags"u8) ? Field.Tags
            : reader.ValueTextEquals("appRoles"u8) ? Field.AppRoles
            : reader.ValueTextEquals("oauth2PermissionScopes"u8) ? Field.Oauth2PermissionScopes
            : Field.None;

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
