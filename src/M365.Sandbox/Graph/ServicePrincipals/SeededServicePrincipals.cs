using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The service principals of the apps registered in the tenant's seed, so a client finds its own app by app id
/// (and an app-only caller finds itself by its token's oid).
/// </summary>
internal static class SeededServicePrincipals
{
    private static readonly DateTimeOffset Registered = new(2023, 2, 1, 10, 0, 0, TimeSpan.Zero);

    public static IEnumerable<ServicePrincipal> From(SandboxSeed? seed) =>
        seed?.Apps.Select(app => new ServicePrincipal(
            app.ServicePrincipalId == Guid.Empty ? Hosting.DeterministicGuid.From("sp:" + app.AppId) : app.ServicePrincipalId,
            app.AppId,
            app.DisplayName,
            app.DisplayName,
            AccountEnabled: true,
            app.IsFirstParty ? WellKnownServicePrincipals.MicrosoftTenantId : seed.TenantId,
            new[] { app.AppId.ToString() },
            new[] { "WindowsAzureActiveDirectoryIntegratedApp" },
            app.IsPublicClient ? "AzureADMultipleOrgs" : "AzureADMyOrg",
            Array.Empty<AppRoleDefinition>(),
            Array.Empty<PermissionScopeDefinition>(),
            Registered)) ?? Enumerable.Empty<ServicePrincipal>();
}
