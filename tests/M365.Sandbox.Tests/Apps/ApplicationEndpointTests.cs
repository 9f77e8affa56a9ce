using System.Net;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests.Apps;

/// <summary>Graph /applications and /servicePrincipals writes: create, read ($filter, $select, by id and app id), update, delete, errors.</summary>
public sealed class ApplicationEndpointTests
{
    private static object NewApp(string name) => new
    {
        displayName = name,
        signInAudience = "AzureADMyOrg",
        isFallbackPublicClient = true,
        publicClient = new { redirectUris = new[] { SandboxSeed.LoopbackRedirectUri, SandboxSeed.NativeClientRedirectUri } },
        requiredResourceAccess = new[]
        {
            new { resourceAppId = AppSandbox.GraphAppId, resourceAccess = new[] { new { id = "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type = "Scope" } } },
        },
    };

    [Fact]
    public async Task An_application_is_created_read_by_id_app_id_filter_and_select_updated_and_deleted()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        using var created = await s.SendAsync(HttpMethod.Post, "/v1.0/applications", admin, NewApp("M365 PowerShell"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await TemporarySandbox.JsonAsync(created);
        var (id, appId) = (app.GetProperty("id").GetString()!, app.GetProperty("appId").GetString()!);
        Assert.NotEqual(id, appId);
        Assert.EndsWith($"/directoryObjects/{id}/Microsoft.DirectoryServices.Application", created.Headers.Location!.ToString());
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#applications/$entity", app.GetProperty("@odata.context").GetString());
        Assert.Equal("AzureADMyOrg", app.GetProperty("signInAudience").GetString());
        Assert.True(app.GetProperty("isFallbackPublicClient").GetBoolean());
        Assert.Equal(new[] { "http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient" },
            app.GetProperty("publicClient").GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        var access = Assert.Single(app.GetProperty("requiredResourceAccess").EnumerateArray());
        Assert.Equal(AppSandbox.GraphAppId, access.GetProperty("resourceAppId").GetString());
        Assert.Equal("Scope", Assert.Single(access.GetProperty("resourceAccess").EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal("contoso.onmicrosoft.com", app.GetProperty("publisherDomain").GetString());

        var byId = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications/{id}", admin);
        Assert.Equal(appId, byId.GetProperty("appId").GetString());
        var byAppId = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications(appId='{appId}')", admin);
        Assert.Equal(id, byAppId.GetProperty("id").GetString());

        var filtered = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications?$filter=appId eq '{appId}'", admin);
        Assert.Equal(id, Assert.Single(filtered.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
        var byName = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1.0/applications?$filter=displayName eq 'M365 PowerShell'", admin);
        Assert.Single(byName.GetProperty("value").EnumerateArray());
        var inList = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/v1.0/applications?$filter=appId in ('{appId}', '{SandboxSeed.AutomationAppId}')&$select=appId,id", admin);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#applications(appId,id)", inList.GetProperty("@odata.context").GetString());
        var items = inList.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(new[] { SandboxSeed.AutomationAppId.ToString(), appId }.Order(), items.Select(i => i.GetProperty("appId").GetString()).Order());
        Assert.All(items, i => Assert.Equal(new[] { "appId", "id" }, i.EnumerateObject().Select(p => p.Name).Order()));

        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Patch, $"/v1.0/applications/{id}", admin,
            new { displayName = "M365 PowerShell 2", publicClient = new { redirectUris = new[] { "http://localhost" } }, isFallbackPublicClient = false });
        var patched = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications/{id}?$select=displayName,publicClient,isFallbackPublicClient", admin);
        Assert.Equal("M365 PowerShell 2", patched.GetProperty("displayName").GetString());
        Assert.False(patched.GetProperty("isFallbackPublicClient").GetBoolean());
        Assert.Equal("http://localhost", Assert.Single(patched.GetProperty("publicClient").GetProperty("redirectUris").EnumerateArray()).GetString());
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Patch, $"/v1.0/applications(appId='{appId}')", admin, new { description = "by app id" });

        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/applications/{id}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/applications/{id}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Delete, $"/v1.0/applications(appId='{appId}')", admin);
    }

    [Fact]
    public async Task Bad_requests_get_graphs_codes()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/applications", admin, new { signInAudience = "AzureADMyOrg" },
            "Invalid value specified for property 'displayName' of resource 'Application'.");
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/applications", admin, new { displayName = "x", signInAudience = "Everyone" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "BadRequest", HttpMethod.Post, "/v1.0/applications", admin, new { displayName = "x", colour = "blue" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "BadRequest", HttpMethod.Post, "/v1.0/applications", admin, "{not json");
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/applications", admin,
            new { displayName = "x", keyCredentials = new[] { new { type = "AsymmetricX509Cert", usage = "Verify", key = Convert.ToBase64String(new byte[] { 1, 2, 3 }) } } },
            "Invalid value specified for property 'keyCredentials' of resource 'Application'.");
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/applications", admin,
            new { displayName = "x", requiredResourceAccess = new[] { new { resourceAppId = "graph", resourceAccess = Array.Empty<object>() } } });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Get, "/v1.0/applications/not-a-guid", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Patch, $"/v1.0/applications/{Guid.NewGuid()}", admin, new { displayName = "y" });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "BadRequest", HttpMethod.Get, "/v1.0/applications?$select=colour", admin);
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_UnsupportedQuery", HttpMethod.Get, "/v1.0/applications?$filter=appId ne 'x'", admin);

        var userRead = await s.UserReadTokenAsync();
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Post, "/v1.0/applications", userRead, NewApp("x"));
    }

    [Fact]
    public async Task A_certificate_key_credential_is_kept_without_its_key()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        using var certificate = s.NewCertificate();
        var app = await s.CreateAppAsync(admin, new { displayName = "App only", keyCredentials = new[] { AppSandbox.KeyCredential(certificate) } });
        var key = Assert.Single(app.GetProperty("keyCredentials").EnumerateArray());
        Assert.Equal("AsymmetricX509Cert", key.GetProperty("type").GetString());
        Assert.Equal("Verify", key.GetProperty("usage").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("key").ValueKind);
        Assert.Equal(Convert.ToBase64String(certificate.GetCertHash()), key.GetProperty("customKeyIdentifier").GetString());
        Assert.True(Guid.TryParse(key.GetProperty("keyId").GetString(), out _));
    }

    [Fact]
    public async Task The_key_is_given_only_on_a_single_object_read_selecting_keyCredentials_as_in_Graph()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        using var certificate = s.NewCertificate();
        var app = await s.CreateAppAsync(admin, new { displayName = "Keys", keyCredentials = new[] { AppSandbox.KeyCredential(certificate) } });
        string id = app.GetProperty("id").GetString()!;

        var selected = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications/{id}?$select=keyCredentials", admin);
        var key = Assert.Single(selected.GetProperty("keyCredentials").EnumerateArray());
        Assert.Equal(Convert.ToBase64String(certificate.RawData), key.GetProperty("key").GetString());

        var whole = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/applications/{id}", admin);
        Assert.Equal(JsonValueKind.Null, Assert.Single(whole.GetProperty("keyCredentials").EnumerateArray()).GetProperty("key").ValueKind);
        var listed = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1.0/applications?$filter=displayName eq 'Keys'&$select=id,keyCredentials", admin);
        var first = Assert.Single(listed.GetProperty("value").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, Assert.Single(first.GetProperty("keyCredentials").EnumerateArray()).GetProperty("key").ValueKind);
    }

    [Fact]
    public async Task A_service_principal_is_created_for_an_app_found_with_appId_in_and_deleted()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var appId = (await s.CreateAppAsync(admin, NewApp("With SP"))).GetProperty("appId").GetString()!;
        using var created = await s.SendAsync(HttpMethod.Post, "/v1.0/servicePrincipals", admin, new { appId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sp = await TemporarySandbox.JsonAsync(created);
        var spId = sp.GetProperty("id").GetString()!;
        Assert.Equal(appId, sp.GetProperty("appId").GetString());
        Assert.Equal(s.Sandbox.Host.TenantId.ToString(), sp.GetProperty("appOwnerOrganizationId").GetString());
        Assert.Contains(appId, sp.GetProperty("servicePrincipalNames").EnumerateArray().Select(n => n.GetString()));

        await s.ExpectErrorAsync(HttpStatusCode.Conflict, "Request_MultipleObjectsWithSameKeyValue", HttpMethod.Post, "/v1.0/servicePrincipals", admin, new { appId });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/servicePrincipals", admin, new { appId = Guid.NewGuid() });
        await s.ExpectErrorAsync(HttpStatusCode.BadRequest, "Request_BadRequest", HttpMethod.Post, "/v1.0/servicePrincipals", admin, new { displayName = "no app id" });

        var resolved = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/v1.0/servicePrincipals?$filter=appId in ('{AppSandbox.GraphAppId}','{AppSandbox.SharePointAppId}','{appId}')&$select=appId,id,oauth2PermissionScopes,appRoles,servicePrincipalNames", admin);
        var resolvedByAppId = resolved.GetProperty("value").EnumerateArray().ToDictionary(p => p.GetProperty("appId").GetString()!);
        Assert.Equal(3, resolvedByAppId.Count);
        Assert.Equal(spId, resolvedByAppId[appId].GetProperty("id").GetString());
        Assert.Equal("bdfbf15f-ee85-4955-8675-146e8e5296b5", AppSandbox.ScopeId(resolvedByAppId[AppSandbox.GraphAppId], "Application.ReadWrite.All"));
        Assert.Equal("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0", AppSandbox.ScopeId(resolvedByAppId[AppSandbox.SharePointAppId], "AllSites.FullControl"));
        await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals/{spId}", admin);
        var byAppId = (await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals(appId='{appId}')?$select=id", admin));
        Assert.Equal(spId, byAppId.GetProperty("id").GetString());
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/servicePrincipals(appId='{Guid.NewGuid()}')", admin);

        var (graphSpId, _) = await s.ResourceAsync(admin, AppSandbox.GraphAppId);
        await s.ExpectErrorAsync(HttpStatusCode.Forbidden, "Authorization_RequestDenied", HttpMethod.Delete, $"/v1.0/servicePrincipals/{graphSpId}", admin);
        await s.GrantAsync(admin, spId, graphSpId, "User.Read");
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/servicePrincipals/{spId}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/servicePrincipals/{spId}", admin);
        var grants = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/oauth2PermissionGrants?$filter=clientId eq '{spId}'", admin);
        Assert.Equal(0, grants.GetProperty("value").GetArrayLength());
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Delete, $"/v1.0/servicePrincipals/{spId}", admin);
    }

    [Fact]
    public async Task Deleting_an_app_deletes_its_service_principal()
    {
        await using var s = await AppSandbox.StartAsync();
        var admin = await s.AdminTokenAsync();
        var app = await s.CreateAppAsync(admin, NewApp("Short lived"));
        var spId = await s.CreateServicePrincipalAsync(admin, app.GetProperty("appId").GetString()!);
        await s.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1.0/applications/{app.GetProperty("id").GetString()}", admin);
        await s.ExpectErrorAsync(HttpStatusCode.NotFound, "Request_ResourceNotFound", HttpMethod.Get, $"/v1.0/servicePrincipals/{spId}", admin);
        var list = await s.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals?$filter=appId eq '{app.GetProperty("appId").GetString()}'", admin);
        Assert.Equal(0, list.GetProperty("value").GetArrayLength());
    }
}
