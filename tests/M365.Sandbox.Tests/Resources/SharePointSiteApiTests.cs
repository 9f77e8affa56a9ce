using System.Net;
using M365.Sandbox.SharePoint;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class SharePointSiteApiTests
{
    private const string Tenant = "https://contoso.sharepoint.com";
    private readonly ResourceSandboxFixture _sandbox;

    public SharePointSiteApiTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string UserToken => _sandbox.UserToken(Tenant, "AllSites.FullControl");

    [Fact]
    public async Task Site_at_the_root_describes_the_root_site_collection()
    {
        using var response = await _sandbox.GetAsync($"{Tenant}/_api/site", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "odata" && p.Value == "nometadata");
        var site = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(Tenant, site.GetProperty("Url").GetString());
        Assert.Equal("/", site.GetProperty("ServerRelativeUrl").GetString());
        Assert.Equal(SiteIdentity.SiteIdFor(Tenant).ToString(), site.GetProperty("Id").GetString());
        Assert.False(site.GetProperty("ReadOnly").GetBoolean());
    }

    [Fact]
    public async Task Site_under_sites_answers_once_the_site_is_ready_and_404_before()
    {
        var url = $"{Tenant}/sites/api-{Guid.NewGuid():N}";
        using (var created = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, new
        {
            request = new { Title = "Api", Url = url, Description = "", Classification = "", WebTemplate = "SITEPAGEPUBLISHING#0", SiteDesignId = "00000000-0000-0000-0000-000000000000", Lcid = 1033 },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using (var early = await _sandbox.GetAsync($"{url}/_api/site", UserToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
            Assert.Equal("-2147024894, System.IO.FileNotFoundException",
                (await ResourceSandboxFixture.JsonAsync(early)).GetProperty("odata.error").GetProperty("code").GetString());
        }

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay + TimeSpan.FromSeconds(1));
        using var response = await _sandbox.GetAsync($"{url}/_api/site", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var site = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(url, site.GetProperty("Url").GetString());
        Assert.Equal(new Uri(url).AbsolutePath, site.GetProperty("ServerRelativeUrl").GetString());
        Assert.Equal(SiteIdentity.SiteIdFor(url).ToString(), site.GetProperty("Id").GetString());

        using var webs = await _sandbox.GetAsync($"{url}/_api/web/webs", UserToken);
        Assert.Equal(HttpStatusCode.OK, webs.StatusCode);
        Assert.Empty((await ResourceSandboxFixture.JsonAsync(webs)).GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task Web_names_its_template_and_configuration_apart_as_SharePoint_does()
    {
        var url = $"{Tenant}/sites/web-{Guid.NewGuid():N}";
        using (var created = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", UserToken, new
        {
            request = new { Title = "Web", Url = url, WebTemplate = "STS#3", Lcid = 1031 },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay + TimeSpan.FromSeconds(1));
        using var response = await _sandbox.GetAsync($"{url}/_api/web", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var web = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("STS", web.GetProperty("WebTemplate").GetString());
        Assert.Equal(3, web.GetProperty("Configuration").GetInt32());
        Assert.Equal("Web", web.GetProperty("Title").GetString());
        Assert.Equal(1031, web.GetProperty("Language").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", web.GetProperty("Created").GetString());

        using var root = await _sandbox.GetAsync($"{Tenant}/_api/web", UserToken);
        var rootWeb = await ResourceSandboxFixture.JsonAsync(root);
        Assert.Equal("SITEPAGEPUBLISHING", rootWeb.GetProperty("WebTemplate").GetString());
        Assert.Equal(0, rootWeb.GetProperty("Configuration").GetInt32());
    }

    [Fact]
    public async Task Site_of_an_unknown_site_collection_is_404()
    {
        using var response = await _sandbox.GetAsync($"{Tenant}/teams/never-made/_api/site", UserToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Webs_of_the_root_site_is_an_empty_list()
    {
        using var response = await _sandbox.GetAsync($"{Tenant}/_api/web/webs", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(new[] { "value" }, json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Empty(json.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task Site_and_webs_need_a_SharePoint_permission()
    {
        using var site = await _sandbox.GetAsync($"{Tenant}/_api/site", _sandbox.UserToken(Tenant, "TermStore.ReadWrite.All"));
        Assert.Equal(HttpStatusCode.Forbidden, site.StatusCode);
        using var webs = await _sandbox.GetAsync($"{Tenant}/_api/web/webs", _sandbox.UserToken(Tenant, "TermStore.ReadWrite.All"));
        Assert.Equal(HttpStatusCode.Forbidden, webs.StatusCode);
    }
}
