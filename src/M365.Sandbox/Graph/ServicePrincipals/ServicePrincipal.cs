namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>One Graph servicePrincipal, with the properties the sandbox serves.</summary>
public sealed record ServicePrincipal(
    Guid Id,
    Guid AppId,
    string DisplayName,
    string AppDisplayName,
    bool AccountEnabled,
    Guid AppOwnerOrganizationId,
    IReadOnlyList<string> ServicePrincipalNames,
    IReadOnlyList<string> Tags,
    string SignInAudience,
    IReadOnlyList<AppRoleDefinition> AppRoles,
    IReadOnlyList<PermissionScopeDefinition> OAuth2PermissionScopes,
    DateTimeOffset CreatedDateTime);
