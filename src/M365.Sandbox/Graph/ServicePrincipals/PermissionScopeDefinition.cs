namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>A delegated permission (oauth2PermissionScope) a service principal exposes; Type is "User" or "Admin".</summary>
public sealed record PermissionScopeDefinition(Guid Id, string Value, string AdminConsentDisplayName, string AdminConsentDescription, string Type);
