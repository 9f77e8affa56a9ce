using System.Net;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests.Apps;

/// <summary>What `m365 setup` and Register-M365App do, as raw HTTP: bootstrap sign-in, resolve, create, consent, sign in with the new app.</summary>
public sealed class RegistrationFlowTests
{
    [Fact]
    public async Task From_an_empty_tenant_a_registered_app_signs_in_with_the_consented_permissions()
    {
        await using var s = await AppSandbox.StartAsync();
        await s.SetReplicationAsync(10);

        // 1. Bootstrap: the admin signs in with Microsoft Graph Command Line Tools, asking for dynamic scopes.
        using var bootstrap = await s.DeviceCodeAsync(SandboxSeed.GraphCommandLineToolsAppId.ToString(),
            "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All openid profile offline_access");
        Assert.Equal(HttpStatusCode.OK, bootstrap.StatusCode);
        var token = (await TemporarySandbox.JsonAsync(bootstrap)).GetProperty("access_token").GetString()!;

        // 2. Resolve the resources' permission names to ids from the tenant.
        var resolved = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/v1.0/servicePrincipals?$filter=appId in ('{AppSandbox.GraphAppId}','{AppSandbox.SharePointAppId}','c5393580-f805-4401-95e8-94b7a6ef2fc2')&$select=appId,id,oauth2PermissionScopes,appRoles,servicePrincipalNames", token);
        var resources = resolved.GetProperty("value").EnumerateArray().ToDictionary(sp => sp.GetProperty("appId").GetString()!);
        var wanted = new Dictionary<string, string[]>
        {
            [AppSandbox.GraphAppId] = new[] { "User.Read", "Group.ReadWrite.All", "Directory.AccessAsUser.All", "Sites.Read.All" },
            [AppSandbox.SharePointAppId] = new[] { "AllSites.FullControl", "TermStore.ReadWrite.All" },
            ["c5393580-f805-4401-95e8-94b7a6ef2fc2"] = new[] { "ServiceHealth.Read" },
        };
        var requiredResourceAccess = wanted.Select(w => new
        {
            resourceAppId = w.Key,
            resourceAccess = w.Value.Select(name => new { id = AppSandbox.ScopeId(resources[w.Key], name), type = "Scope" }).ToArray(),
        }).ToArray();

        // 3. Create the app, its service principal and one tenant-wide grant per resource.
        var app = await s.CreateAppAsync(token, new
        {
            displayName = "M365 PowerShell",
            signInAudience = "AzureADMyOrg",
            isFallbackPublicClient = true,
            publicClient = new { redirectUris = new[] { SandboxSeed.LoopbackRedirectUri, SandboxSeed.NativeClientRedirectUri } },
            requiredResourceAccess,
        });
        var appId = app.GetProperty("appId").GetString()!;
        Assert.Equal(3, app.GetProperty("requiredResourceAccess").GetArrayLength());
        var spId = await s.CreateServicePrincipalAsync(token, appId);
        foreach (var (resourceAppId, scopes) in wanted)
        {
            await s.GrantAsync(token, spId, resources[resourceAppId].GetProperty("id").GetString()!, string.Join(' ', scopes));
        }

        var grants = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{spId}'", token);
        Assert.Equal(3, grants.GetProperty("value").GetArrayLength());

        // 4. Entra ID's replication: the new app is unknown for a while, then signs in with device code.
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, "https://graph.microsoft.com/.default"), 700016);
        s.Clock.Advance(TimeSpan.FromSeconds(11));
        var graph = await s.DeviceCodeClaimsAsync(appId, "https://graph.microsoft.com/.default openid profile offline_access");
        Assert.Equal(wanted[AppSandbox.GraphAppId].Order(StringComparer.Ordinal), AppSandbox.Scopes(graph));
        Assert.Equal(appId, graph.GetProperty("appid").GetString());
        var sharePoint = await s.DeviceCodeClaimsAsync(appId, "https://contoso.sharepoint.com/.default");
        Assert.Equal(wanted[AppSandbox.SharePointAppId].Order(StringComparer.Ordinal), AppSandbox.Scopes(sharePoint));
        var management = await s.DeviceCodeClaimsAsync(appId, "https://manage.office.com/.default");
        Assert.Equal(new[] { "ServiceHealth.Read" }, AppSandbox.Scopes(management));
        await AppSandbox.ExpectAadAsync(await s.DeviceCodeAsync(appId, "https://management.azure.com/.default"), 65001);

        // The new app's Graph token is accepted by Graph.
        using var me = await s.DeviceCodeAsync(appId, "https://graph.microsoft.com/.default");
        var meToken = (await TemporarySandbox.JsonAsync(me)).GetProperty("access_token").GetString()!;
        var profile = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1.0/me", meToken);
        Assert.Equal(s.Seed.Admin.UserPrincipalName, profile.GetProperty("userPrincipalName").GetString());
    }
}
