using System.Text.Json;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>Writes one servicePrincipal as Graph does, only the selected properties, with pre-encoded names.</summary>
internal static class ServicePrincipalJsonWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText AccountEnabled = JsonEncodedText.Encode("accountEnabled");
    private static readonly JsonEncodedText AppDisplayName = JsonEncodedText.Encode("appDisplayName");
    private static readonly JsonEncodedText AppId = JsonEncodedText.Encode("appId");
    private static readonly JsonEncodedText AppOwnerOrganizationId = JsonEncodedText.Encode("appOwnerOrganizationId");
    private static readonly JsonEncodedText CreatedDateTime = JsonEncodedText.Encode("createdDateTime");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");
    private static readonly JsonEncodedText ServicePrincipalNames = JsonEncodedText.Encode("servicePrincipalNames");
    private static readonly JsonEncodedText ServicePrincipalType = JsonEncodedText.Encode("servicePrincipalType");
    private static readonly JsonEncodedText Application = JsonEncodedText.Encode("Application");
    private static readonly JsonEncodedText SignInAudience = JsonEncodedText.Encode("signInAudience");
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText AppRoles = JsonEncodedText.Encode("appRoles");
    private static readonly JsonEncodedText OAuth2PermissionScopes = JsonEncodedText.Encode("oauth2PermissionScopes");
    private static readonly JsonEncodedText AllowedMemberTypes = JsonEncodedText.Encode("allowedMemberTypes");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText IsEnabled = JsonEncodedText.Encode("isEnabled");
    private static readonly JsonEncodedText Origin = JsonEncodedText.Encode("origin");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText AdminConsentDescription = JsonEncodedText.Encode("adminConsentDescription");
    private static readonly JsonEncodedText AdminConsentDisplayName = JsonEncodedText.Encode("adminConsentDisplayName");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText UserConsentDescription = JsonEncodedText.Encode("userConsentDescription");
    private static readonly JsonEncodedText UserConsentDisplayName = JsonEncodedText.Encode("userConsentDisplayName");

    private static readonly (ServicePrincipalFields Field, JsonEncodedText Name, bool IsList)[] UnmodeledProperties =
    {
        (ServicePrincipalFields.AddIns, JsonEncodedText.Encode("addIns"), true),
        (ServicePrincipalFields.AlternativeNames, JsonEncodedText.Encode("alternativeNames"), true),
        (ServicePrincipalFields.AppDescription, JsonEncodedText.Encode("appDescription"), false),
        (ServicePrincipalFields.ApplicationTemplateId, JsonEncodedText.Encode("applicationTemplateId"), false),
        (ServicePrincipalFields.AppRoleAssignmentRequired, JsonEncodedText.Encode("appRoleAssignmentRequired"), false),
        (ServicePrincipalFields.DeletedDateTime, JsonEncodedText.Encode("deletedDateTime"), false),
        (ServicePrincipalFields.Description, JsonEncodedText.Encode("description"), false),
        (ServicePrincipalFields.DisabledByMicrosoftStatus, JsonEncodedText.Encode("disabledByMicrosoftStatus"), false),
        (ServicePrincipalFields.Homepage, JsonEncodedText.Encode("homepage"), false),
        (ServicePrincipalFields.Info, JsonEncodedText.Encode("info"), false),
        (ServicePrincipalFields.KeyCredentials, JsonEncodedText.Encode("keyCredentials"), true),
        (ServicePrincipalFields.LoginUrl, JsonEncodedText.Encode("loginUrl"), false),
        (ServicePrincipalFields.LogoutUrl, JsonEncodedText.Encode("logoutUrl"), false),
        (ServicePrincipalFields.Notes, JsonEncodedText.Encode("notes"), false),
        (ServicePrincipalFields.NotificationEmailAddresses, JsonEncodedText.Encode("notificationEmailAddresses"), true),
        (ServicePrincipalFields.PasswordCredentials, JsonEncodedText.Encode("passwordCredentials"), true),
        (ServicePrincipalFields.PreferredSingleSignOnMode, JsonEncodedText.Encode("preferredSingleSignOnMode"), false),
        (ServicePrincipalFields.PreferredTokenSigningKeyThumbprint, JsonEncodedText.Encode("preferredTokenSigningKeyThumbprint"), false),
        (ServicePrincipalFields.ReplyUrls, JsonEncodedText.Encode("replyUrls"), true),
        (ServicePrincipalFields.ResourceSpecificApplicationPermissions, JsonEncodedText.Encode("resourceSpecificApplicationPermissions"), true),
        (ServicePrincipalFields.SamlSingleSignOnSettings, JsonEncodedText.Encode("samlSingleSignOnSettings"), false),
        (ServicePrincipalFields.TokenEncryptionKeyId, JsonEncodedText.Encode("tokenEncryptionKeyId"), false),
        (ServicePrincipalFields.VerifiedPublisher, JsonEncodedText.Encode("verifiedPublisher"), false),
    };

    public static void Write(Utf8JsonWriter writer, ServicePrincipal sp, ServicePrincipalFields fields)
    {
        writer.WriteStartObject();
        WriteProperties(writer, sp, fields);
        writer.WriteEndObject();
    }

    /// <summary>Writes the properties into an object the caller has opened (an entity answer adds @odata.context first).</summary>
    public static void WriteProperties(Utf8JsonWriter writer, ServicePrincipal sp, ServicePrincipalFields fields)
    {
        if (Has(fields, ServicePrincipalFields.Id)) writer.WriteString(Id, sp.Id);
        if (Has(fields, ServicePrincipalFields.AccountEnabled)) writer.WriteBoolean(AccountEnabled, sp.AccountEnabled);
        if (Has(fields, ServicePrincipalFields.AppDisplayName)) writer.WriteString(AppDisplayName, sp.AppDisplayName);
        if (Has(fields, ServicePrincipalFields.AppId)) writer.WriteString(AppId, sp.AppId);
        if (Has(fields, ServicePrincipalFields.AppOwnerOrganizationId)) writer.WriteString(AppOwnerOrganizationId, sp.AppOwnerOrganizationId);
        if (Has(fields, ServicePrincipalFields.CreatedDateTime)) writer.WriteString(CreatedDateTime, sp.CreatedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        if (Has(fields, ServicePrincipalFields.DisplayName)) writer.WriteString(DisplayName, sp.DisplayName);
        if (Has(fields, ServicePrincipalFields.ServicePrincipalNames)) WriteStrings(writer, ServicePrincipalNames, sp.ServicePrincipalNames);
        if (Has(fields, ServicePrincipalFields.ServicePrincipalType)) writer.WriteString(ServicePrincipalType, Application);
        if (Has(fields, ServicePrincipalFields.SignInAudience)) writer.WriteString(SignInAudience, sp.SignInAudience);
        if (Has(fields, ServicePrincipalFields.Tags)) WriteStrings(writer, Tags, sp.Tags);
        if (Has(fields, ServicePrincipalFields.AppRoles)) WriteAppRoles(writer, sp.AppRoles);
        if (Has(fields, ServicePrincipalFields.OAuth2PermissionScopes)) WriteScopes(writer, sp.OAuth2PermissionScopes);
        if (Has(fields, ServicePrincipalFields.Unmodeled)) WriteUnmodeled(writer, fields);
    }

    private static void WriteUnmodeled(Utf8JsonWriter writer, ServicePrincipalFields fields)
    {
        foreach (var (field, name, isList) in UnmodeledProperties)
        {
            if (!Has(fields, field))
            {
                continue;
            }

            if (field == ServicePrincipalFields.AppRoleAssignmentRequired)
            {
                writer.WriteBoolean(name, false);
            }
            else if (isList)
            {
                writer.WriteStartArray(name);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull(name);
            }
        }
    }

    private static bool Has(ServicePrincipalFields fields, ServicePrincipalFields field) => (fields & field) != 0;

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteAppRoles(Utf8JsonWriter writer, IReadOnlyList<AppRoleDefinition> roles)
    {
        writer.WriteStartArray(AppRoles);
        foreach (var role in roles)
        {
            writer.WriteStartObject();
            writer.WriteStartArray(AllowedMemberTypes);
            writer.WriteStringValue(Application);
            writer.WriteEndArray();
            writer.WriteString(Description, role.Description);
            writer.WriteString(DisplayName, role.DisplayName);
            writer.WriteString(Id, role.Id);
            writer.WriteBoolean(IsEnabled, true);
            writer.WriteString(Origin, Application);
            writer.WriteString(Value, role.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteScopes(Utf8JsonWriter writer, IReadOnlyList<PermissionScopeDefinition> scopes)
    {
        writer.WriteStartArray(OAuth2PermissionScopes);
        foreach (var scope in scopes)
        {
            writer.WriteStartObject();
            writer.WriteString(AdminConsentDescription, scope.AdminConsentDescription);
            writer.WriteString(AdminConsentDisplayName, scope.AdminConsentDisplayName);
            writer.WriteString(Id, scope.Id);
            writer.WriteBoolean(IsEnabled, true);
            writer.WriteString(Type, scope.Type);
            writer.WriteString(UserConsentDescription, scope.AdminConsentDescription);
            writer.WriteString(UserConsentDisplayName, scope.AdminConsentDisplayName);
            writer.WriteString(Value, scope.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
