namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>The servicePrincipal properties a response carries, as chosen by <c>$select</c>.</summary>
[Flags]
public enum ServicePrincipalFields
{
    None = 0,
    Id = 1 << 0,
    AccountEnabled = 1 << 1,
    AppDisplayName = 1 << 2,
    AppId = 1 << 3,
    AppOwnerOrganizationId = 1 << 4,
    CreatedDateTime = 1 << 5,
    DisplayName = 1 << 6,
    ServicePrincipalNames = 1 << 7,
    ServicePrincipalType = 1 << 8,
    SignInAudience = 1 << 9,
    Tags = 1 << 10,
    AppRoles = 1 << 11,
    OAuth2PermissionScopes = 1 << 12,

    /// <summary>What v1.0 returns without $select.</summary>
    V1Default = Id | AccountEnabled | AppDisplayName | AppId | AppOwnerOrganizationId | DisplayName | ServicePrincipalNames
        | ServicePrincipalType | SignInAudience | Tags | AppRoles | OAuth2PermissionScopes,

    /// <summary>What beta returns without $select: v1.0's set plus createdDateTime.</summary>
    BetaDefault = V1Default | CreatedDateTime,
}
