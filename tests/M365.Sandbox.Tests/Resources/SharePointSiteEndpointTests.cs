using System.Net;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class SharePointSiteEndpointTests
{
    private const string Tenant = "https://contoso.sharepoint.com";
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public SharePointSiteEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string UserToken => _sandbox.UserToken(Tenant, "AllSites.FullControl");

    private static object CommunicationSite(string url) => new
    {
        request = new { Title = "Marketing", Url = url, Description = "", Classification = "", WebTemplate = "SITEPAGEPUBLISHING#0", SiteDesignId = "00000000-0000-0000-0000-000000000000", Lcid = 1033 },
    };

    [Fact]
    public async Task Communication_site_is_provisioning_until_the_delay_passes_then_ready()
    {
        var url = $"{Tenant}/sites/comm-{Guid.NewGuid():N}";
        using var created = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, CommunicationSite(url));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType!.MediaType);
        Assert.Contains(created.Content.Headers.ContentType.Parameters, p => p.Name == "odata" && p.Value == "nometadata");
        var answer = await ResourceSandboxFixture.JsonAsync(created);
        Assert.Equal(1, answer.GetProperty("SiteStatus").GetInt32());
        Assert.Equal(url, answer.GetProperty("SiteUrl").GetString());
        var siteId = answer.GetProperty("SiteId").GetString();

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay / 2);
        Assert.Equal(1, await StatusAsync(url));
        using (var notYet = await _sandbox.GetAsync($"{url}/_api/web", UserToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        }

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay);
        Assert.Equal(2, await StatusAsync(url));

        using var again = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, CommunicationSite(url));
        var existing = await ResourceSandboxFixture.JsonAsync(again);
        Assert.Equal(2, existing.GetProperty("SiteStatus").GetInt32());
        Assert.Equal(siteId, existing.GetProperty("SiteId").GetString());

        using var web = await _sandbox.GetAsync($"{url}/_api/web", UserToken);
        var webJson = await ResourceSandboxFixture.JsonAsync(web);
        Assert.Equal("Marketing", webJson.GetProperty("Title").GetString());
        Assert.Equal(url, webJson.GetProperty("Url").GetString());
    }

    [Fact]
    public async Task An_injected_failure_gives_SiteStatus_3_and_a_retry_succeeds()
    {
        var url = $"{Tenant}/sites/fail-{Guid.NewGuid():N}";
        _sandbox.Sites.FailNextCreation(url);
        using var failed = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, CommunicationSite(url));
        Assert.Equal(3, (await ResourceSandboxFixture.JsonAsync(failed)).GetProperty("SiteStatus").GetInt32());
        Assert.Equal(3, await StatusAsync(url));

        using var retried = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, CommunicationSite(url));
        Assert.Equal(1, (await ResourceSandboxFixture.JsonAsync(retried)).GetProperty("SiteStatus").GetInt32());
    }

    [Fact]
    public async Task Unknown_site_status_is_0()
    {
        Assert.Equal(0, await StatusAsync($"{Tenant}/sites/never-made"));
    }

    [Theory]
    [InlineData("{\"request\":{\"Title\":\"x\"}}", "-2147024809, System.ArgumentException")]
    [InlineData("{\"request\":{\"Title\":\"x\",\"Url\":\"https://fabrikam.sharepoint.com/sites/x\"}}", "-2147024809, System.ArgumentException")]
    [InlineData("{\"request\":{\"Title\":\"x\",\"Url\":\"https://contoso.sharepoint.com/sites/x\",\"Colour\":\"red\"}}", "-1, Microsoft.SharePoint.Client.InvalidClientQueryException")]
    [InlineData("{\"Title\":\"x\"}", "-1, Microsoft.SharePoint.Client.InvalidClientQueryException")]
    [InlineData("not json", "-1, Microsoft.SharePoint.Client.InvalidClientQueryException")]
    public async Task Invalid_creation_requests_get_SharePoint_errors(string body, string code)
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Tenant}/_api/SPSiteManager/Create", UserToken,
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("odata.error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("en-US", error.GetProperty("message").GetProperty("lang").GetString());
    }

    [Fact]
    public async Task Verbose_clients_get_the_verbose_error_shape()
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Tenant}/_api/SPSiteManager/Create", UserToken,
            new StringContent("{\"request\":{}}", System.Text.Encoding.UTF8, "application/json"),
            r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("application/json;odata=verbose"); });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("-2147024809, System.ArgumentException", json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Group_site_creates_a_group_visible_in_Graph_and_refuses_a_duplicate_alias()
    {
        var alias = "team" + Guid.NewGuid().ToString("N")[..8];
        var body = new
        {
            displayName = "Project X",
            alias,
            isPublic = true,
            optionalParams = new { Description = "d", CreationOptions = new { results = new[] { "SPSiteLanguage:1033" }, Classification = "" }, Owners = new { results = new[] { _sandbox.Seed.Admin.UserPrincipalName } } },
        };
        using var created = await _sandbox.PostJsonAsync($"{Tenant}/_api/GroupSiteManager/CreateGroupEx", UserToken, body);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var answer = await ResourceSandboxFixture.JsonAsync(created);
        var groupId = answer.GetProperty("GroupId").GetString();
        Assert.Equal($"{Tenant}/sites/{alias}", answer.GetProperty("SiteUrl").GetString());
        Assert.Equal(1, answer.GetProperty("SiteStatus").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("ErrorMessage").ValueKind);

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay + TimeSpan.FromSeconds(1));
        using var status = await _sandbox.GetAsync($"{Tenant}/_api/GroupSiteManager/GetSiteStatus('{groupId}')", UserToken);
        Assert.Equal(2, (await ResourceSandboxFixture.JsonAsync(status)).GetProperty("SiteStatus").GetInt32());

        using var duplicate = await _sandbox.PostJsonAsync($"{Tenant}/_api/GroupSiteManager/CreateGroupEx", UserToken, body);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(duplicate)).GetProperty("odata.error");
        Assert.Equal("-2147024713, Microsoft.SharePoint.SPException", error.GetProperty("code").GetString());
        Assert.Equal("The group alias already exists.", error.GetProperty("message").GetProperty("value").GetString());

        using var group = await _sandbox.GetAsync($"https://graph.microsoft.com/v1.0/groups/{groupId}", _sandbox.AppToken(Graph, "Group.ReadWrite.All"));
        var groupJson = await ResourceSandboxFixture.JsonAsync(group);
        Assert.Equal(alias, groupJson.GetProperty("mailNickname").GetString());
        Assert.Equal("Public", groupJson.GetProperty("visibility").GetString());
        using var list = await _sandbox.GetAsync("https://graph.microsoft.com/v1.0/groups", _sandbox.AppToken(Graph, "Group.ReadWrite.All"));
        Assert.Contains((await ResourceSandboxFixture.JsonAsync(list)).GetProperty("value").EnumerateArray(), g => g.GetProperty("id").GetString() == groupId);
    }

    [Fact]
    public async Task Group_site_creation_refuses_app_only_tokens()
    {
        using var response = await _sandbox.PostJsonAsync($"{Tenant}/_api/GroupSiteManager/CreateGroupEx", _sandbox.AppToken(Tenant, "Sites.FullControl.All"),
            new { displayName = "App made", alias = "appmade", isPublic = false });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Root_web_and_context_info_answer_on_the_tenant_host()
    {
        using var web = await _sandbox.GetAsync($"{Tenant}/_api/web", UserToken);
        var json = await ResourceSandboxFixture.JsonAsync(web);
        Assert.Equal(Tenant, json.GetProperty("Url").GetString());
        Assert.True(Guid.TryParse(json.GetProperty("Id").GetString(), out _));

        using var context = await _sandbox.SendAsync(HttpMethod.Post, $"{Tenant}/_api/contextinfo", UserToken, null, null);
        var info = await ResourceSandboxFixture.JsonAsync(context);
        Assert.StartsWith("0x", info.GetProperty("FormDigestValue").GetString());
        Assert.Equal(1800, info.GetProperty("FormDigestTimeoutSeconds").GetInt32());
        Assert.Equal(Tenant, info.GetProperty("WebFullUrl").GetString());
    }

    [Fact]
    public async Task A_Graph_token_is_refused_by_SharePoint_with_401()
    {
        using var response = await _sandbox.GetAsync($"{Tenant}/_api/web", _sandbox.UserToken(Graph, "AllSites.FullControl"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<int> StatusAsync(string url)
    {
        using var response = await _sandbox.GetAsync($"{Tenant}/_api/SPSiteManager/status?url='{Uri.EscapeDataString(url)}'", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("SiteStatus").GetInt32();
    }
}
