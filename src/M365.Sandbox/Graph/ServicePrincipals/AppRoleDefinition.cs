namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>An application permission (appRole) a service principal exposes.</summary>
public sealed record AppRoleDefinition(Guid Id, string Value, string DisplayName, string Description);
