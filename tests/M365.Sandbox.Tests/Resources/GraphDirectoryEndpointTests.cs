using System.Net;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphDirectoryEndpointTests
{
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphDirectoryEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task Sites_root_gives_the_tenant_SharePoint_url_and_honours_select()
    {
        var token = _sandbox.UserToken(Graph, "Sites.Read.All");
        using var full = await _sandbox.GetAsync($"{Graph}/v1.0/sites/root", token);
        var site = await ResourceSandboxFixture.JsonAsync(full);
        Assert.Equal("https://contoso.sharepoint.com", site.GetProperty("webUrl").GetString());
        Assert.Equal("contoso.sharepoint.com", site.GetProperty("siteCollection").GetProperty("hostname").GetString());
        Assert.StartsWith("contoso.sharepoint.com,", site.GetProperty("id").GetString());

        using var selected = await _sandbox.GetAsync($"{Graph}/v1.0/sites/root?$select=webUrl", token);
        var trimmed = await ResourceSandboxFixture.JsonAsync(selected);
        Assert.Equal(new[] { "@odata.context", "webUrl" }, trimmed.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Me_describes_the_signed_in_user()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/me", _sandbox.UserToken(Graph, "User.Read"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(_sandbox.Seed.Admin.Id.ToString(), me.GetProperty("id").GetString());
        Assert.Equal(_sandbox.Seed.Admin.UserPrincipalName, me.GetProperty("userPrincipalName").GetString());
        Assert.Equal(_sandbox.Seed.Admin.DisplayName, me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Me_with_an_app_only_token_is_Graphs_400()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/me", _sandbox.AppToken(Graph, "Application.Read.All"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal("/me request is only valid with delegated authentication flow.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Organization_lists_the_tenant_and_its_domain()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/organization", _sandbox.UserToken(Graph, "User.Read"));
        var org = Assert.Single((await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").EnumerateArray());
        Assert.Equal(_sandbox.Host.TenantId.ToString(), org.GetProperty("id").GetString());
        Assert.Equal("contoso.onmicrosoft.com", org.GetProperty("verifiedDomains")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_group_is_404()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/groups/{Guid.NewGuid()}", _sandbox.AppToken(Graph, "Group.ReadWrite.All"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Request_ResourceNotFound", (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }
}
