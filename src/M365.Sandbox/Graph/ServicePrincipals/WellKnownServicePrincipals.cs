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
            },
            new[]
            {
                Scope("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", "Sign in and read user profile", "User"),
                Scope("06da0dbc-49e2-44d2-8312-53f166ab848a", "Directory.Read.All", "Read directory data", "Admin"),
                Scope(null, "Application.Read.All", "Read applications", "Admin"),
                Scope(null, "Sites.Read.All", "Read items in all site collections", "User"),
            }),
        FirstParty(SharePointOnlineAppId, "Office 365 SharePoint Online",
            new[] { "00000003-0000-0ff1-ce00-000000000000/*.sharepoint.com", "00000003-0000-0ff1-ce00-000000000000", "https://microsoft.sharepoint-df.com" },
            new[] { Role("678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All", "Have full control of all site collections") },
            new[]
            {
                Scope("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", "AllSites.FullControl", "Have full control of all site collections", "Admin"),
                Scope(null, "AllSites.Manage", "Read and write items and lists in all site collections", "User"),
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

    private static ServicePrincipal FirstParty(Guid appId, string name, string[] names, AppRoleDefinition[] roles, PermissionScopeDefinition[] scopes) =>
        new(DeterministicGuid.From("sp:" + appId), appId, name, name, true, MicrosoftTenantId, names, Array.Empty<string>(),
            "AzureADMultipleOrgs", roles, scopes, FirstPartyCreated);

    private static AppRoleDefinition Role(string? id, string value, string displayName) =>
        new(id is null ? DeterministicGuid.From("role:" + value) : new Guid(id), value, displayName, "Allows the app to " + char.ToLowerInvariant(displayName[0]) + displayName[1..] + " without a signed-in user.");

    private static PermissionScopeDefinition Scope(string? id, string value, string displayName, string type) =>
        new(id is null ? DeterministicGuid.From("scope:" + value + ":" + displayName) : new Guid(id), value, displayName, "Allows the app to " + char.ToLowerInvariant(displayName[0]) + displayName[1..] + " on behalf of the signed-in user.", type);
}
