namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>The servicePrincipal properties a response carries, as chosen by <c>$select</c>.</summary>
[Flags]
public enum ServicePrincipalFields : long
{
    None = 0,
    Id = 1L << 0,
    AccountEnabled = 1L << 1,
    AppDisplayName = 1L << 2,
    AppId = 1L << 3,
    AppOwnerOrganizationId = 1L << 4,
    CreatedDateTime = 1L << 5,
    DisplayName = 1L << 6,
    ServicePrincipalNames = 1L << 7,
    ServicePrincipalType = 1L << 8,
    SignInAudience = 1L << 9,
    Tags = 1L << 10,
    AppRoles = 1L << 11,
    OAuth2PermissionScopes = 1L << 12,

    // v1.0 properties the sandbox does not model: selectable, written with the empty value Graph gives an app without them.
    AddIns = 1L << 13,
    AlternativeNames = 1L << 14,
    AppDescription = 1L << 15,
    ApplicationTemplateId = 1L << 16,
    AppRoleAssignmentRequired = 1L << 17,
    DeletedDateTime = 1L << 18,
    Description = 1L << 19,
    DisabledByMicrosoftStatus = 1L << 20,
    Homepage = 1L << 21,
    Info = 1L << 22,
    KeyCredentials = 1L << 23,
    LoginUrl = 1L << 24,
    LogoutUrl = 1L << 25,
    Notes = 1L << 26,
    NotificationEmailAddresses = 1L << 27,
    PasswordCredentials = 1L << 28,
    PreferredSingleSignOnMode = 1L << 29,
    PreferredTokenSigningKeyThumbprint = 1L << 30,
    ReplyUrls = 1L << 31,
    ResourceSpecificApplicationPermissions = 1L << 32,
    SamlSingleSignOnSettings = 1L << 33,
    TokenEncryptionKeyId = 1L << 34,
    VerifiedPublisher = 1L << 35,

    Unmodeled = AddIns | AlternativeNames | AppDescription | ApplicationTemplateId | AppRoleAssignmentRequired | DeletedDateTime
        | Description | DisabledByMicrosoftStatus | Homepage | Info | KeyCredentials | LoginUrl | LogoutUrl | Notes
        | NotificationEmailAddresses | PasswordCredentials | PreferredSingleSignOnMode | PreferredTokenSigningKeyThumbprint | ReplyUrls | ResourceSpecificApplicationPermissions | SamlSingleSignOnSettings | TokenEncryptionKeyId | VerifiedPublisher,

    /// <summary>What v1.0 returns without $select.</summary>
    V1Default = Id | AccountEnabled | AppDisplayName | AppId | AppOwnerOrganizationId | DisplayName | ServicePrincipalNames
        | ServicePrincipalType | SignInAudience | Tags | AppRoles | OAuth2PermissionScopes,

    /// <summary>What beta returns without $select: v1.0's set plus createdDateTime.</summary>
    BetaDefault = V1Default | CreatedDateTime,

    /// <summary>What v1.0 can $select (Graph's servicePrincipal properties; relationships need $expand).</summary>
    V1Selectable = V1Default | Unmodeled,

    /// <summary>What beta can $select.</summary>
    BetaSelectable = BetaDefault | Unmodeled,
}
