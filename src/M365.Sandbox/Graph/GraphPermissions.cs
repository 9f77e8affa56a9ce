using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph;

/// <summary>The permissions Microsoft Graph documents for each endpoint family the sandbox serves.</summary>
internal static class GraphPermissions
{
    public static readonly AccessRequirement ReadServicePrincipals = AccessRequirement.Of(
        new[] { "Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement ReadSites = AccessRequirement.Of(
        new[] { "Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All" },
        new[] { "Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All" });

    // No app role: an app-only token must reach the endpoint so it can answer as Graph does (400, not 403).
    public static readonly AccessRequirement ReadMe = AccessRequirement.Of(
        new[] { "User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        Array.Empty<string>());

    public static readonly AccessRequirement ReadUsers = AccessRequirement.Of(
        new[] { "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement ReadOrganization = AccessRequirement.Of(
        new[] { "User.Read", "Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement ReadGroups = AccessRequirement.Of(
        new[] { "Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    // POST /groups: Group.Create is the least privileged app role; delegated callers need Group.ReadWrite.All.
    public static readonly AccessRequirement CreateGroups = AccessRequirement.Of(
        new[] { "Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement ReadApplications = ReadServicePrincipals;

    // Writing an app's federated credentials: Application.ReadWrite.All as an app role, or a delegated admin.
    public static readonly AccessRequirement WriteApplications = AccessRequirement.Of(
        new[] { "Application.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Application.ReadWrite.All" });

    // Changing a service principal: as for applications.
    public static readonly AccessRequirement WriteServicePrincipals = WriteApplications;

    public static readonly AccessRequirement ReadPermissionGrants = AccessRequirement.Of(
        new[] { "DelegatedPermissionGrant.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "DelegatedPermissionGrant.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement WritePermissionGrants = AccessRequirement.Of(
        new[] { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement ReadAppRoleAssignments = AccessRequirement.Of(
        new[] { "Application.Read.All", "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "Application.Read.All", "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

    public static readonly AccessRequirement WriteAppRoleAssignments = AccessRequirement.Of(
        new[] { "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All" },
        new[] { "AppRoleAssignment.ReadWrite.All" });
}
