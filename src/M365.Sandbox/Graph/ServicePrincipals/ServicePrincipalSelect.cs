namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>Parses <c>$select</c> against the servicePrincipal properties of one API version.</summary>
internal static class ServicePrincipalSelect
{
    private static readonly (string Name, ServicePrincipalFields Field)[] Properties =
    {
        ("id", ServicePrincipalFields.Id),
        ("accountEnabled", ServicePrincipalFields.AccountEnabled),
        ("appDisplayName", ServicePrincipalFields.AppDisplayName),
        ("appId", ServicePrincipalFields.AppId),
        ("appOwnerOrganizationId", ServicePrincipalFields.AppOwnerOrganizationId),
        ("createdDateTime", ServicePrincipalFields.CreatedDateTime),
        ("displayName", ServicePrincipalFields.DisplayName),
        ("servicePrincipalNames", ServicePrincipalFields.ServicePrincipalNames),
        ("servicePrincipalType", ServicePrincipalFields.ServicePrincipalType),
        ("signInAudience", ServicePrincipalFields.SignInAudience),
        ("tags", ServicePrincipalFields.Tags),
        ("appRoles", ServicePrincipalFields.AppRoles),
        ("oauth2PermissionScopes", ServicePrincipalFields.OAuth2PermissionScopes),
        ("addIns", ServicePrincipalFields.AddIns),
        ("alternativeNames", ServicePrincipalFields.AlternativeNames),
        ("appDescription", ServicePrincipalFields.AppDescription),
        ("applicationTemplateId", ServicePrincipalFields.ApplicationTemplateId),
        ("appRoleAssignmentRequired", ServicePrincipalFields.AppRoleAssignmentRequired),
        ("deletedDateTime", ServicePrincipalFields.DeletedDateTime),
        ("description", ServicePrincipalFields.Description),
        ("disabledByMicrosoftStatus", ServicePrincipalFields.DisabledByMicrosoftStatus),
        ("homepage", ServicePrincipalFields.Homepage),
        ("info", ServicePrincipalFields.Info),
        ("keyCredentials", ServicePrincipalFields.KeyCredentials),
        ("loginUrl", ServicePrincipalFields.LoginUrl),
        ("logoutUrl", ServicePrincipalFields.LogoutUrl),
        ("notes", ServicePrincipalFields.Notes),
        ("notificationEmailAddresses", ServicePrincipalFields.NotificationEmailAddresses),
        ("passwordCredentials", ServicePrincipalFields.PasswordCredentials),
        ("preferredSingleSignOnMode", ServicePrincipalFields.PreferredSingleSignOnMode),
        ("preferredTokenSigningKeyThumbprint", ServicePrincipalFields.PreferredTokenSigningKeyThumbprint),
        ("replyUrls", ServicePrincipalFields.ReplyUrls),
        ("resourceSpecificApplicationPermissions", ServicePrincipalFields.ResourceSpecificApplicationPermissions),
        ("samlSingleSignOnSettings", ServicePrincipalFields.SamlSingleSignOnSettings),
        ("tokenEncryptionKeyId", ServicePrincipalFields.TokenEncryptionKeyId),
        ("verifiedPublisher", ServicePrincipalFields.VerifiedPublisher),
    };

    /// <summary>The names v1.0 can select, in Graph's order of this table.</summary>
    public static IEnumerable<string> V1Names => Properties.Where(p => (p.Field & ServicePrincipalFields.V1Selectable) != 0).Select(p => p.Name);

    /// <summary>
    /// Returns the selected fields and the canonical list for <c>@odata.context</c> (null without $select), or an
    /// error message naming the first unknown property.
    /// </summary>
    public static (ServicePrincipalFields Fields, string? ContextList, string? Error) Parse(string? select, bool beta)
    {
        var all = beta ? ServicePrincipalFields.BetaDefault : ServicePrincipalFields.V1Default;
        var selectable = beta ? ServicePrincipalFields.BetaSelectable : ServicePrincipalFields.V1Selectable;
        if (string.IsNullOrWhiteSpace(select))
        {
            return (all, null, null);
        }

        var fields = ServicePrincipalFields.None;
        var names = new List<string>();
        foreach (var raw in select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Array.FindIndex(Properties, p => string.Equals(p.Name, raw, StringComparison.OrdinalIgnoreCase));
            if (match < 0 || (Properties[match].Field & selectable) == 0)
            {
                return (ServicePrincipalFields.None, null, $"Could not find a property named '{raw}' on type 'microsoft.graph.servicePrincipal'.");
            }

            if ((fields & Properties[match].Field) == 0)
            {
                fields |= Properties[match].Field;
                names.Add(Properties[match].Name);
            }
        }

        return fields == ServicePrincipalFields.None ? (all, null, null) : (fields, string.Join(',', names), null);
    }
}
