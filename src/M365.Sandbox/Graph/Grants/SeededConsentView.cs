using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph.Grants;

/// <summary>
/// The seeded apps' consents (seeded permissions and consent-page grants, see <see cref="TenantDirectory.SeededConsents"/>)
/// as the oauth2PermissionGrants (AllPrincipals) and appRoleAssignments Graph lists, as Entra ID lists every consent
/// however it was given. Computed on each read, so a withdrawn consent disappears and a restored one comes back with the
/// same deterministic id. A permission the resource's service principal does not define has no id to list and is skipped.
/// </summary>
internal sealed class SeededConsentView(TenantDirectory directory, ServicePrincipalCatalog catalog)
{
    /// <summary>
    /// Why PATCH and DELETE of these entries answer 400: the sandbox withdraws a seeded consent per app and resource
    /// (scopes and roles together), so removing one entry cannot be done as narrowly as Entra does it.
    /// </summary>
    public const string ReadOnlyMessage = "This consent is seeded in the sandbox and is read-only through Graph: withdraw it with the sandbox control endpoint or SandboxHost.WithdrawConsent.";

    public static SeededConsentView Of(HttpContext context) => new(
        context.RequestServices.GetRequiredService<TenantDirectory>(), context.RequestServices.GetRequiredService<ServicePrincipalCatalog>());

    public IEnumerable<PermissionGrant> Grants() =>
        from consent in Consents()
        where consent.Scopes.Count > 0
        select new PermissionGrant(
            Base64Url.Encode(DeterministicGuid.From($"seeded-grant:{consent.Client.Id}:{consent.Resource.Id}").ToByteArray()),
            consent.Client.Id, PermissionGrantStore.AllPrincipals, null, consent.Resource.Id, consent.Resource.AppId, string.Join(' ', consent.Scopes));

    public IEnumerable<AppRoleAssignment> Assignments() =>
        from consent in Consents()
        from value in consent.Roles
        let role = consent.Resource.AppRoles.FirstOrDefault(r => string.Equals(r.Value, value, StringComparison.Ordinal))
        where role is not null
        select new AppRoleAssignment(
            Base64Url.Encode(consent.Client.Id.ToByteArray().Concat(DeterministicGuid.From($"seeded-role:{consent.Resource.Id}:{role.Id}").ToByteArray()).ToArray()),
            consent.Client.Id, consent.Client.DisplayName, consent.Resource.Id, consent.Resource.DisplayName, consent.Resource.AppId, role.Id, role.Value,
            consent.Client.CreatedDateTime);

    private IEnumerable<(ServicePrincipal Client, ServicePrincipal Resource, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles)> Consents()
    {
        foreach (var seeded in directory.Seed.Apps)
        {
            // Pre-authorized permissions are the resource's grant, not a consent, so Entra does not list them either.
            if (directory.FindApp(seeded.AppId) is not { PreAuthorizedOnly: false } app || catalog.FindById(app.ServicePrincipalId) is not { } client)
            {
                continue;
            }

            foreach (var (key, scopes, roles) in directory.SeededConsents(app))
            {
                if (ResourceAppId(key) is { } resourceAppId && catalog.FindByAppId(resourceAppId) is { Count: > 0 } positions)
                {
                    yield return (client, catalog[positions[0]], scopes, roles);
                }
            }
        }
    }

    private Guid? ResourceAppId(string key) => ResourceService.ForKey(key)?.ResourceAppId
        ?? directory.Seed.Apps.Where(a => string.Equals(ResourceService.ForApi(a).Key, key, StringComparison.OrdinalIgnoreCase)).Select(a => (Guid?)a.AppId).FirstOrDefault();
}
