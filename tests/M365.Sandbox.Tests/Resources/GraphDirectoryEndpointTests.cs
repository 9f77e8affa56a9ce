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

    [Fact]
    public async Task Posting_a_group_creates_it_with_201_and_Graphs_shape()
    {
        var alias = "lab" + Guid.NewGuid().ToString("N")[..8];
        using var response = await _sandbox.PostJsonAsync($"{Graph}/v1.0/groups", _sandbox.AppToken(Graph, "Group.ReadWrite.All"),
            new { displayName = "Lab", mailNickname = alias, mailEnabled = false, securityEnabled = true, description = "A lab" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var group = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#groups/$entity", group.GetProperty("@odata.context").GetString());
        var id = group.GetProperty("id").GetString()!;
        Assert.EndsWith($"/directoryObjects/{id}/Microsoft.DirectoryServices.Group", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("Lab", group.GetProperty("displayName").GetString());
        Assert.Equal(alias, group.GetProperty("mailNickname").GetString());
        Assert.Equal("A lab", group.GetProperty("description").GetString());
        Assert.False(group.GetProperty("mailEnabled").GetBoolean());
        Assert.True(group.GetProperty("securityEnabled").GetBoolean());
        Assert.Equal(0, group.GetProperty("groupTypes").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, group.GetProperty("mail").ValueKind);

        using var read = await _sandbox.GetAsync($"{Graph}/v1.0/groups/{id}", _sandbox.AppToken(Graph, "Group.Read.All"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(alias, (await ResourceSandboxFixture.JsonAsync(read)).GetProperty("mailNickname").GetString());

        using var again = await _sandbox.PostJsonAsync($"{Graph}/v1.0/groups", _sandbox.UserToken(Graph, "Group.ReadWrite.All"),
            new { displayName = "Lab 2", mailNickname = alias.ToUpperInvariant(), mailEnabled = true, securityEnabled = false, groupTypes = new[] { "Unified" } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("mailNickname already exists", (await ResourceSandboxFixture.JsonAsync(again)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegated_Unified_group_is_mail_enabled_and_owned_by_the_caller()
    {
        var alias = "team" + Guid.NewGuid().ToString("N")[..8];
        using var response = await _sandbox.PostJsonAsync($"{Graph}/v1.0/groups", _sandbox.UserToken(Graph, "Group.ReadWrite.All"),
            new { displayName = "Team", mailNickname = alias, mailEnabled = true, securityEnabled = false, groupTypes = new[] { "Unified" }, visibility = "Private" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var group = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("Unified", Assert.Single(group.GetProperty("groupTypes").EnumerateArray()).GetString());
        Assert.Equal($"{alias}@contoso.onmicrosoft.com", group.GetProperty("mail").GetString());
        Assert.Equal("Private", group.GetProperty("visibility").GetString());
    }

    [Theory]
    [InlineData("""{"mailNickname":"x1","mailEnabled":false,"securityEnabled":true}""", "Request_BadRequest", "displayName")]
    [InlineData("""{"displayName":"X","mailEnabled":false,"securityEnabled":true}""", "Request_BadRequest", "mailNickname")]
    [InlineData("""{"displayName":"X","mailNickname":"has space","mailEnabled":false,"securityEnabled":true}""", "Request_BadRequest", "mailNickname")]
    [InlineData("""{"displayName":"X","mailNickname":"x2","securityEnabled":true}""", "Request_BadRequest", "mailEnabled")]
    [InlineData("""{"displayName":"X","mailNickname":"x3","mailEnabled":true,"securityEnabled":true}""", "Request_BadRequest", "mail-enabled")]
    [InlineData("""{"displayName":"X","mailNickname":"x4","mailEnabled":false,"securityEnabled":true,"visibility":"Hidden"}""", "Request_BadRequest", "visibility")]
    [InlineData("""not json""", "BadRequest", "JSON")]
    public async Task A_bad_group_body_is_Graphs_400(string body, string code, string named)
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Graph}/v1.0/groups", _sandbox.AppToken(Graph, "Group.Create"),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_group_needs_a_write_permission()
    {
        var body = new { displayName = "X", mailNickname = "nowrite", mailEnabled = false, securityEnabled = true };
        using var app = await _sandbox.PostJsonAsync($"{Graph}/v1.0/groups", _sandbox.AppToken(Graph, "Group.Read.All"), body);
        Assert.Equal(HttpStatusCode.Forbidden, app.StatusCode);
        using var user = await _sandbox.PostJsonAsync($"{Graph}/v1.0/groups", _sandbox.UserToken(Graph, "Group.Read.All"), body);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
    }
}
