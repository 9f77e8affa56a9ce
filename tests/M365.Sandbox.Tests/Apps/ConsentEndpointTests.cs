using System.Net;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests.Apps;

/// <summary>oauth2PermissionGrants and appRoleAssignments / appRoleAssignedTo, and who may write what (admins; members only their own apps).</summary>
public sealed class ConsentEndpointTests
{
    [Fact]
    public async Task A_delegated_grant_is_created_filtered_updated_and_deleted()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var appId = (await s.CreateAppAsync(admin, new { displayName = "Granted" })).GetProperty("appId").GetString()!;
        var spId = await s.CreateServicePrincipalAsync(admin, appId);
        var (graphSpId, _) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);

        using var response = await s.SendAsync(HttpMethod.Post, "/v1.0/oauth2PermissionGrants", admin,
            new { clientId = spId, consentType = "AllPrincipals", principalId = (string?)null, resourceId = graphSpId, scope = "User.Read Sites.Read.All" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var grant = await TemporarySandbox.JsonAsync(response);
        var id = grant.GetProperty("id").GetString()!;
        Assert.Equal("AllPrincipals", grant.GetProperty("consentType").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, grant.GetProperty("principalId").ValueKind);
        Assert.Equal("User.Read Sites.Read.All", grant.GetProperty("scope").GetString());
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants/$entity", grant.GetProperty("@odata.context").GetString());

        await s.ExpectErrorAsync(HttpStatusCode.Conflict, "Request_MultipleObjectsWithSameKeyValue", HttpMethod.Post, "/v1.0/oauth2PermissionGrants", admin,
            new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSpId, scope = "User.Read" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/oauth2PermissionGrants", admin,
            new { clientId = Guid.NewGuid(), consentType = "AllPrincipals", resourceId = graphSpId, scope = "User.Read" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/oauth2PermissionGrants", admin,
            new { clientId = spId, consentType = "Everybody", resourceId = graphSpId, scope = "User.Read" });

        var filtered = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{spId}'", admin);
        Assert.Equal(id, Assert.Single(filtered.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
        var both = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{spId}' and resourceId eq '{Guid.NewGuid()}'", admin);
        Assert.Equal(0, both.GetProperty("value").GetArrayLength());
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_UnsupportedQuery", HttpMethod.Get, "/v1.0/oauth2PermissionGrants?$filter=startswith(scope,'User')", admin);

        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Patch, $"/v1.0/oauth2PermissionGrants/{id}", admin, new { scope = "User.Read Mail.Send" });
        Assert.Equal("User.Read Mail.Send", (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants/{id}", admin)).GetProperty("scope").GetString());
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/oauth2PermissionGrants/{id}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/oauth2PermissionGrants/{id}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Patch, $"/v1.0/oauth2PermissionGrants/{id}", admin, new { scope = "User.Read" });
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Get, "/v1.0/oauth2PermissionGrants", await s.UserReadTokenAsync());
    }

    [Fact]
    public async Task An_app_role_is_assigned_listed_from_both_sides_and_removed()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var appId = (await s.CreateAppAsync(admin, new { displayName = "Daemon" })).GetProperty("appId").GetString()!;
        var spId = await s.CreateServicePrincipalAsync(admin, appId);
        var (graphSpId, graphSp) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);
        var roleId = AppSandbox.RoleId(graphSp, "Sites.Read.All");

        var assignment = await s.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin,
            new { principalId = spId, resourceId = graphSpId, appRoleId = roleId });
        var id = assignment.GetProperty("id").GetString()!;
        Assert.Equal(roleId, assignment.GetProperty("appRoleId").GetString());
        Assert.Equal("Daemon", assignment.GetProperty("principalDisplayName").GetString());
        Assert.Equal("Microsoft Graph", assignment.GetProperty("resourceDisplayName").GetString());
        Assert.Equal("ServicePrincipal", assignment.GetProperty("principalType").GetString());

        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin,
            new { principalId = spId, resourceId = graphSpId, appRoleId = roleId }, "Permission being assigned already exists on the object.");
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin,
            new { principalId = spId, resourceId = graphSpId, appRoleId = Guid.NewGuid() });
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Post, $"/v1.0/servicePrincipals/{Guid.NewGuid()}/appRoleAssignments", admin,
            new { principalId = spId, resourceId = graphSpId, appRoleId = roleId });

        // The same role, granted from the resource's side, for a second app.
        var otherSp = await s.CreateServicePrincipalAsync(admin, (await s.CreateAppAsync(admin, new { displayName = "Daemon 2" })).GetProperty("appId").GetString()!);
        await s.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/v1.0/servicePrincipals/{graphSpId}/appRoleAssignedTo", admin,
            new { principalId = otherSp, resourceId = graphSpId, appRoleId = roleId });

        var held = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin);
        Assert.Equal(id, Assert.Single(held.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
        var given = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{graphSpId}/appRoleAssignedTo", admin);
        // The seeded apps' roles on Graph are listed too; of the created apps, exactly the two.
        var created = new[] { spId, otherSp };
        Assert.Equal(created.Order(), given.GetProperty("value").EnumerateArray().Select(a => a.GetProperty("principalId").GetString()).Where(created.Contains).Order());

        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments/{id}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Delete, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments/{id}", admin);
        Assert.Equal(0, (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{spId}/appRoleAssignments", admin)).GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task A_seeded_apps_roles_are_listed_as_app_role_assignments_from_both_sides()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var automationSp = s.Seed.AutomationApp.ServicePrincipalId.ToString();
        var (graphSpId, graphSp) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);
        var (sharePointSpId, _) = await s.ResourceAsync(admin, AppSandbox.SharePointAppId);

        var held = (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{automationSp}/appRoleAssignments", admin))
            .GetProperty("value").EnumerateArray().ToArray();
        var onGraph = held.Where(a => a.GetProperty("resourceId").GetString() == graphSpId).ToArray();
        Assert.Equal(
            new[] { "Application.Read.All", "Group.ReadWrite.All", "Sites.FullControl.All" }.Select(r => AppSandbox.RoleId(graphSp, r)).Order(),
            onGraph.Select(a => a.GetProperty("appRoleId").GetString()!).Order());
        Assert.All(held, a => Assert.Equal(automationSp, a.GetProperty("principalId").GetString()));
        Assert.Equal("Microsoft Graph", onGraph[0].GetProperty("resourceDisplayName").GetString());
        Assert.Contains(held, a => a.GetProperty("resourceId").GetString() == sharePointSpId);

        // The same entries, with the same ids, from the resource's side.
        var given = (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{graphSpId}/appRoleAssignedTo", admin))
            .GetProperty("value").EnumerateArray().Where(a => a.GetProperty("principalId").GetString() == automationSp).Select(a => a.GetProperty("id").GetString());
        Assert.Equal(onGraph.Select(a => a.GetProperty("id").GetString()).Order(), given.Order());

        // A seeded consent is read-only through Graph (withdrawn through the sandbox instead).
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Delete,
            $"/v1.0/servicePrincipals/{automationSp}/appRoleAssignments/{onGraph[0].GetProperty("id").GetString()}", admin);
    }

    [Fact]
    public async Task A_seeded_apps_delegated_consent_is_listed_as_an_all_principals_grant()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var pnpSp = s.Seed.PnpManagementShell.ServicePrincipalId.ToString();
        var (sharePointSpId, _) = await s.ResourceAsync(admin, AppSandbox.SharePointAppId);

        var listed = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{pnpSp}' and resourceId eq '{sharePointSpId}'", admin);
        var grant = Assert.Single(listed.GetProperty("value").EnumerateArray());
        Assert.Equal("AllPrincipals", grant.GetProperty("consentType").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, grant.GetProperty("principalId").ValueKind);
        Assert.Equal("AllSites.FullControl User.Read.All TermStore.ReadWrite.All", grant.GetProperty("scope").GetString());

        var id = grant.GetProperty("id").GetString()!;
        var byId = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants/{id}", admin);
        Assert.Equal(pnpSp, byId.GetProperty("clientId").GetString());
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Patch, $"/v1.0/oauth2PermissionGrants/{id}", admin, new { scope = "User.Read" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Delete, $"/v1.0/oauth2PermissionGrants/{id}", admin);
    }

    [Fact]
    public async Task A_withdrawn_seeded_consent_is_not_listed_until_it_is_restored()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var pnpSp = s.Seed.PnpManagementShell.ServicePrincipalId.ToString();
        var automationSp = s.Seed.AutomationApp.ServicePrincipalId.ToString();
        var (sharePointSpId, _) = await s.ResourceAsync(admin, AppSandbox.SharePointAppId);
        var grantsUrl = $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{pnpSp}' and resourceId eq '{sharePointSpId}'";
        var id = Assert.Single((await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, grantsUrl, admin)).GetProperty("value").EnumerateArray()).GetProperty("id").GetString();

        s.Sandbox.Host.WithdrawConsent(SandboxSeed.PnpManagementShellAppId, "sharepoint");
        s.Sandbox.Host.WithdrawConsent(SandboxSeed.AutomationAppId, "sharepoint");
        Assert.Equal(0, (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, grantsUrl, admin)).GetProperty("value").GetArrayLength());
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/oauth2PermissionGrants/{id}", admin);
        var roles = (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{automationSp}/appRoleAssignments", admin)).GetProperty("value").EnumerateArray();
        Assert.DoesNotContain(roles, a => a.GetProperty("resourceId").GetString() == sharePointSpId);

        s.Sandbox.Host.RestoreConsent(SandboxSeed.PnpManagementShellAppId);
        Assert.Equal(id, Assert.Single((await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, grantsUrl, admin)).GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_member_registers_an_app_but_gets_403_for_consent_and_for_others_apps()
    {
        await using var s = await AppSandbox.StartAsync();
        var user = s.Seed.PlainUser;
        Assert.False(user.IsAdmin);

        // Before an admin consented, the member cannot even get the admin-only scope from Graph Command Line Tools.
        await AppSandbox.ExpectAadAsync(await s.PasswordAsync(SandboxSeed.GraphCommandLineToolsAppId.ToString(), user, "Application.ReadWrite.All"), 65001);
        var admin = await s.AdminTokenAsync();
        var member = await s.UserTokenAsync(user); // consented for the tenant by the admin's sign-in above

        var own = await s.CreateAppAsync(member, new { displayName = "Member app" });
        var ownSp = await s.CreateServicePrincipalAsync(member, own.GetProperty("appId").GetString()!);
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Patch, $"/v1.0/applications/{own.GetProperty("id").GetString()}", member, new { description = "mine" });

        var (graphSpId, graphSp) = await s.ResourceAsync(member, AppSandbox.GraphAppId);
        const string Denied = "Insufficient privileges to complete the operation.";
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/oauth2PermissionGrants", member,
            new { clientId = ownSp, consentType = "AllPrincipals", principalId = (string?)null, resourceId = graphSpId, scope = "User.Read" }, Denied);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, $"/v1.0/servicePrincipals/{ownSp}/appRoleAssignments", member,
            new { principalId = ownSp, resourceId = graphSpId, appRoleId = AppSandbox.RoleId(graphSp, "Sites.Read.All") }, Denied);
        var grant = (await s.GrantAsync(admin, ownSp, graphSpId, "User.Read")).GetProperty("id").GetString();
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Patch, $"/v1.0/oauth2PermissionGrants/{grant}", member, new { scope = "Mail.Send" }, Denied);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Delete, $"/v1.0/oauth2PermissionGrants/{grant}", member, null, Denied);

        var theirs = await s.CreateAppAsync(admin, new { displayName = "Admin app" });
        var theirId = theirs.GetProperty("id").GetString();
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Patch, $"/v1.0/applications/{theirId}", member, new { displayName = "mine now" }, Denied);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Delete, $"/v1.0/applications/{theirId}", member, null, Denied);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/servicePrincipals", member,
            new { appId = theirs.GetProperty("appId").GetString() }, Denied);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post,
            $"/v1.0/applications/{theirId}/federatedIdentityCredentials", member,
            new { name = "gh", issuer = "https://token.actions.githubusercontent.com", subject = "repo:contoso/x:ref:refs/heads/main", audiences = new[] { "api://AzureADTokenExchange" } }, Denied);

        // A tenant where members may not register apps.
        s.Seed.UsersCanRegisterApplications = false;
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/applications", member, new { displayName = "Refused" }, Denied);
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/applications/{own.GetProperty("id").GetString()}", member);
    }

    [Fact]
    public async Task Writes_without_the_permission_are_403()
    {
        await using var s = await AppSandbox.StartAsync();
        var userRead = await s.UserReadTokenAsync();
        var sp = Guid.NewGuid();
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/servicePrincipals", userRead, new { appId = Guid.NewGuid() });
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/oauth2PermissionGrants", userRead, new { clientId = sp });
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, $"/v1.0/servicePrincipals/{sp}/appRoleAssignments", userRead, new { principalId = sp });
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Delete, $"/v1.0/applications/{Guid.NewGuid()}", userRead);
    }
}
