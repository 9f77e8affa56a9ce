using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The first-party Microsoft service principals every tenant has, with their real app ids, so clients that
/// look up "Microsoft Graph" or "Office 365 SharePoint Online" by app id find them.
/// </summary>
internal static class WellKnownServicePrincipals
{
    /// <summary>Microsoft's own tenant, which owns the first-party apps.</summary>
    public static readonly Guid MicrosoftTenantId = new("f8cdef31-a31e-4b4a-93e4-5f571e91255a");

    public static readonly Guid MicrosoftGraphAppId = new("00000003-0000-0000-c000-000000000000");
    public static readonly Guid SharePointOnlineAppId = new("00000003-0000-0ff1-ce00-000000000000");
    public static readonly Guid ManagementApisAppId = new("c5393580-f805-4401-95e8-94b7a6ef2fc2");
    public static readonly Guid AzureServiceManagementAppId = new("797f4846-ba00-4fd7-ba43-dac1f8f63013");
    public static readonly Guid YammerAppId = new("00000005-0000-0ff1-ce00-000000000000");
    public static readonly Guid AzureActiveDirectoryAppId = new("00000002-0000-0000-c000-000000000000");
    public static readonly Guid PnPManagementShellAppId = new("31359c7f-bd7e-475c-86db-fdb8c937548e");

    private static readonly DateTimeOffset FirstPartyCreated = new(2017, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<ServicePrincipal> Create(Guid tenantId) => new[]
    {
        FirstParty(MicrosoftGraphAppId, "Microsoft Graph",
            new[] { "https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/ags.windows.net", "00000003-0000-0000-c000-000000000000" },
            new[]
            {
                Role("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All", "Read all applications"),
                Role("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All", "Read directory data"),
                Role("a82116e5-55eb-4c41-a434-62fe8a61c773", "Sites.FullControl.All", "Have full control of all site collections"),
                Role("332a536c-c7ef-4017-ab91-336970924f0d", "Sites.Read.All", "Read items in all site collections"),
                Role("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All", "Read and write all applications"),
                Role("06b708a9-e830-4db3-a914-8e69da51d44f", "AppRoleAssignment.ReadWrite.All", "Manage app permission grants and app role assignments"),
                Role("8e8e4742-1d95-4f68-9d56-6ee75648c72a", "DelegatedPermissionGrant.ReadWrite.All", "Manage all delegated permission grants"),
                Role("19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All", "Read and write directory data"),
                Role("62a82d76-70ea-41e2-9197-370581804d09", "Group.ReadWrite.All", "Read and write all groups"),
                Role("df021288-bdef-4463-88db-98f22de89214", "User.Read.All", "Read all users' full profiles"),
            },
            new[]
            {
                Scope("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", "Sign in and read user profile", "User"),
                Scope("06da0dbc-49e2-44d2-8312-53f166ab848a", "Directory.Read.All", "Read directory data", "Admin"),
                Scope(null, "Application.Read.All", "Read applications", "Admin"),
                Scope(null, "Sites.Read.All", "Read items in all site collections", "User"),
                Scope("bdfbf15f-ee85-4955-8675-146e8e5296b5", "Application.ReadWrite.All", "Read and write all applications", "Admin"),
                Scope("84bccea3-f856-4a8a-967b-dbe0a3d53a64", "AppRoleAssignment.ReadWrite.All", "Manage app permission grants and app role assignments", "Admin"),
                Scope("41ce6ca6-6826-4807-84f1-1c82854f7ee5", "DelegatedPermissionGrant.ReadWrite.All", "Manage all delegated permission grants", "Admin"),
                Scope("1ca167d5-1655-44a1-8adf-1414072e1ef9", "AppCatalog.ReadWrite.All", "Read and write to all app catalogs", "Admin"),
                Scope("4e46008b-f24c-477d-8fff-7bb4ec7aafe0", "Group.ReadWrite.All", "Read and write all groups", "Admin"),
                Scope("c5366453-9fb0-48a5-a156-24f0c49a4b84", "Directory.ReadWrite.All", "Read and write directory data", "Admin"),
                Scope("0e263e50-5827-48a4-b97c-d940288653c7", "Directory.AccessAsUser.All", "Access directory as the signed in user", "Admin"),
                Scope("f13ce604-1677-429f-90bd-8a10b9f01325", "IdentityProvider.ReadWrite.All", "Read and write identity providers", "Admin"),
                Scope("024d486e-b451-40bb-833d-3e66d98c5c73", "Mail.ReadWrite", "Read and write access to user mail", "User"),
                Scope("e383f46e-2787-4529-855e-0e479a3ffac0", "Mail.Send", "Send mail as a user", "User"),
                Scope("02e97553-ed7b-43d0-ab3c-f8bace0d040c", "Reports.Read.All", "Read all usage reports", "Admin"),
                Scope("093f8818-d05f-49b8-95bc-9d2a73e9a43c", "TeamsAppInstallation.ReadWriteForUser", "Manage user's installed Teams apps", "User"),
                Scope("63dd7cd9-b489-4adf-a28c-ac38b9a0f962", "User.Invite.All", "Invite guest users to the organization", "Admin"),
                Scope("2219042f-cab5-40cc-b0d2-16b1540b4c5f", "Tasks.ReadWrite", "Create, read, update, and delete user's tasks and task lists", "User"),
                Scope("a154be20-db9c-4678-8ab7-66f6cc099a59", "User.Read.All", "Read all users' full profiles", "Admin"),
                Scope("b340eb25-3456-403f-be2f-af7a0d370277", "User.ReadBasic.All", "Read all users' basic profiles", "User"),
                Scope(null, "AuditLog.Read.All", "Read audit log data", "Admin"),
                Scope(null, "User.ReadWrite.All", "Read and write all users' full profiles", "Admin"),
                Scope(null, "Sites.FullControl.All", "Have full control of all site collections", "Admin"),
            }),
        FirstParty(SharePointOnlineAppId, "Office 365 SharePoint Online",
            new[] { "00000003-0000-0ff1-ce00-000000000000/*.sharepoint.com", "00000003-0000-0ff1-ce00-000000000000", "https://microsoft.sharepoint-df.com" },
            new[] { Role("678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All", "Have full control of all site collections") },
            new[]
            {
                Scope("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "AllSites.FullControl", "Have full control of all site collections", "Admin"),
                Scope(null, "AllSites.Manage", "Read and write items and lists in all site collections", "User"),
                Scope(null, "User.Read.All", "Read user profiles", "Admin"),
                Scope(null, "TermStore.ReadWrite.All", "Read and write managed metadata", "Admin"),
            }),
        FirstParty(ManagementApisAppId, "Office 365 Management APIs",
            new[] { "https://manage.office.com", "c5393580-f805-4401-95e8-94b7a6ef2fc2" },
            new[] { Role(null, "ServiceHealth.Read", "Read service health information for your organization") },
            new[] { Scope(null, "ServiceHealth.Read", "Read service health information for your organization", "Admin") }),
        FirstParty(AzureServiceManagementAppId, "Windows Azure Service Management API",
            new[] { "https://management.core.windows.net/", "https://management.azure.com/", "797f4846-ba00-4fd7-ba43-dac1f8f63013" },
            Array.Empty<AppRoleDefinition>(),
            new[] { Scope(null, "user_impersonation", "Access Azure Service Management as organization users", "User") }),
        FirstParty(YammerAppId, "Yammer",
            new[] { "https://www.yammer.com", "https://api.yammer.com", "00000005-0000-0ff1-ce00-000000000000" },
            Array.Empty<AppRoleDefinition>(),
            new[] { Scope(null, "user_impersonation", "Read and write to the Yammer platform", "User") }),
        FirstParty(AzureActiveDirectoryAppId, "Windows Azure Active Directory",
            new[] { "https://graph.windows.net", "00000002-0000-0000-c000-000000000000/graph.windows.net", "00000002-0000-0000-c000-000000000000" },
            Array.Empty<AppRoleDefinition>(),
            new[] { Scope(null, "User.Read", "Sign in and read user profile", "User") }),
        // A multi-tenant app published by the PnP community, not by Microsoft: its owner is a different tenant.
        new ServicePrincipal(
            DeterministicGuid.From("sp:" + PnPManagementShellAppId), PnPManagementShellAppId, "PnP Management Shell", "PnP Management Shell",
            true, DeterministicGuid.From("tenant:pnp"), new[] { PnPManagementShellAppId.ToString() }, new[] { "WindowsAzureActiveDirectoryIntegratedApp" },
            "AzureADMultipleOrgs", Array.Empty<AppRoleDefinition>(), Array.Empty<PermissionScopeDefinition>(), FirstPartyCreated.AddDays(900)),
    };

    private static readonly Lazy<IReadOnlyList<ServicePrincipal>> Definitions = new(() => Create(Guid.Empty));

    /// <summary>
    /// Whether a delegated permission of a Microsoft resource needs an admin's consent: its scope is of type Admin, or the
    /// resource does not define it (nothing a user could consent to).
    /// </summary>
    public static bool RequiresAdminConsent(Guid resourceAppId, string permission) =>
        Definitions.Value.FirstOrDefault(sp => sp.AppId == resourceAppId)?.OAuth2PermissionScopes
            .FirstOrDefault(s => string.Equals(s.Value, permission, StringComparison.OrdinalIgnoreCase))?.Type != "User";

    private static ServicePrincipal FirstParty(Guid appId, string name, string[] names, AppRoleDefinition[] roles, PermissionScopeDefinition[] scopes) =>
        new(DeterministicGuid.From("sp:" + appId), appId, name, name, true, MicrosoftTenantId, names, Array.Empty<string>(),
            "AzureADMultipleOrgs", roles, scopes, FirstPartyCreated);

    private static AppRoleDefinition Role(string? id, string value, string displayName) =>
        new(id is null ? DeterministicGuid.From("role:" + value) : new Guid(id), value, displayName, "Allows the app to " + char.ToLowerInvariant(displayName[0]) + displayName[1..] + " without a signed-in user.");

    private static PermissionScopeDefinition Scope(string? id, string value, string displayName, string type) =>
        new(id is null ? DeterministicGuid.From("scope:" + value + ":" + displayName) : new Guid(id), value, displayName, "Allows the app to " + char.ToLowerInvariant(displayName[0]) + displayName[1..] + " on behalf of the signed-in user.", type);
}
