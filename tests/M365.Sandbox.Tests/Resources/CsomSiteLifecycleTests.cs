using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using M365.Sandbox.Graph.Groups;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Sandbox.Tests.Resources;

/// <summary>
/// The admin host's site lifecycle, with the bodies the CLI for Microsoft 365 sends: the tenant listing (filter grammar,
/// templates, OneDrive sites, NextStartIndexFromSharePoint paging), RemoveSite and its SpoOperation on the tenant's clock,
/// the recycle bin (GetDeletedSitePropertiesFromSharePoint, RestoreDeletedSite, RemoveDeletedSite), and the REST calls of
/// <c>spo site remove</c>.
/// </summary>
[Collection(ResourceSandboxCollection.Name)]
public sealed class CsomSiteLifecycleTests
{
    private const string Admin = "https://contoso-admin.sharepoint.com";
    private const string Head = "<Request AddExpandoFieldTypeSuffix=\"true\" SchemaVersion=\"15.0.0.0\" LibraryVersion=\"16.0.0.0\" ApplicationName=\"CLI for Microsoft 365 v11.11.0\" xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\">";
    private readonly ResourceSandboxFixture _sandbox;

    public CsomSiteLifecycleTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string Token => _sandbox.UserToken(Admin, "AllSites.FullControl");

    // m365 spo site list, as site-list.js builds it.
    private static string ListXml(string filter, string startIndex, string personal = "0", string template = "") =>
        Head + "<Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><Query Id=\"5\" ObjectPathId=\"3\"><Query SelectAllProperties=\"true\"><Properties /></Query><ChildItemQuery SelectAllProperties=\"true\"><Properties /></ChildItemQuery></Query></Actions>"
        + "<ObjectPaths><Constructor Id=\"1\" TypeId=\"{268004ae-ef6b-4e9b-8425-127220d84719}\" /><Method Id=\"3\" ParentId=\"1\" Name=\"GetSitePropertiesFromSharePointByFilters\"><Parameters><Parameter TypeId=\"{b92aeee2-c92c-4b67-abcc-024e471bc140}\">"
        + $"<Property Name=\"Filter\" Type=\"String\">{SecurityElement.Escape(filter)}</Property><Property Name=\"IncludeDetail\" Type=\"Boolean\">false</Property><Property Name=\"IncludePersonalSite\" Type=\"Enum\">{personal}</Property>"
        + $"<Property Name=\"StartIndex\" Type=\"String\">{startIndex}</Property><Property Name=\"Template\" Type=\"String\">{template}</Property></Parameter></Parameters></Method></ObjectPaths></Request>";

    // m365 spo tenant recyclebinitem remove: the Method path before its parent Constructor.
    private static string UrlMethodXml(string method, string url) =>
        Head + "<Actions><ObjectPath Id=\"16\" ObjectPathId=\"15\" /><Query Id=\"17\" ObjectPathId=\"15\"><Query SelectAllProperties=\"false\"><Properties><Property Name=\"PollingInterval\" ScalarProperty=\"true\" /><Property Name=\"IsComplete\" ScalarProperty=\"true\" /></Properties></Query></Query></Actions>"
        + $"<ObjectPaths><Method Id=\"15\" ParentId=\"1\" Name=\"{method}\"><Parameters><Parameter Type=\"String\">{SecurityElement.Escape(url)}</Parameter></Parameters></Method><Constructor Id=\"1\" TypeId=\"{{268004ae-ef6b-4e9b-8425-127220d84719}}\" /></ObjectPaths></Request>";

    private static string DeletedXml() =>
        Head + "<Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><Query Id=\"5\" ObjectPathId=\"3\"><Query SelectAllProperties=\"false\"><Properties /></Query><ChildItemQuery SelectAllProperties=\"true\"><Properties><Property Name=\"Url\" ScalarProperty=\"true\" /></Properties></ChildItemQuery></Query></Actions>"
        + "<ObjectPaths><Constructor Id=\"1\" TypeId=\"{268004ae-ef6b-4e9b-8425-127220d84719}\" /><Method Id=\"3\" ParentId=\"1\" Name=\"GetDeletedSitePropertiesFromSharePoint\"><Parameters><Parameter Type=\"String\">0</Parameter></Parameters></Method></ObjectPaths></Request>";

    private static string PollXml(string identity) =>
        Head + "<Actions><Query Id=\"2\" ObjectPathId=\"1\"><Query SelectAllProperties=\"false\"><Properties><Property Name=\"IsComplete\" ScalarProperty=\"true\" /></Properties></Query></Query></Actions>"
        + $"<ObjectPaths><Identity Id=\"1\" Name=\"{SecurityElement.Escape(identity).Replace("\n", "&#xA;")}\" /></ObjectPaths></Request>";

    private async Task<JsonElement> ProcessQueryAsync(string xml)
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Admin}/_vti_bin/client.svc/ProcessQuery", Token, new StringContent(xml, Encoding.UTF8, "text/xml"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ResourceSandboxFixture.JsonAsync(response);
    }

    private static JsonElement Last(JsonElement answer) => answer[answer.GetArrayLength() - 1];

    private static string? ErrorMessage(JsonElement answer) =>
        answer[0].GetProperty("ErrorInfo").ValueKind == JsonValueKind.Null ? null : answer[0].GetProperty("ErrorInfo").GetProperty("ErrorMessage").GetString();

    private string NewSite(string tag, string name, string template = "SITEPAGEPUBLISHING#0", Guid? group = null)
    {
        var url = $"https://contoso.sharepoint.com/sites/{tag}-{name}";
        _sandbox.Sites.Create(new SiteCreationSpec(url, $"{name} of {tag}", template, "admin@contoso.onmicrosoft.com", GroupId: group));
        return url;
    }

    private static string Tag() => "lc" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task The_listing_pages_by_NextStartIndexFromSharePoint_and_applies_the_filter()
    {
        var tag = Tag();
        var urls = new[] { NewSite(tag, "a"), NewSite(tag, "b"), NewSite(tag, "c") };
        _sandbox.Sites.ListPageSize = 2;
        try
        {
            var first = Last(await ProcessQueryAsync(ListXml($"Url -like '{tag}'", "0")));
            Assert.Equal("Microsoft.Online.SharePoint.TenantAdministration.SPOSitePropertiesEnumerable", first.GetProperty("_ObjectType_").GetString());
            var items = first.GetProperty("_Child_Items_").EnumerateArray().ToList();
            Assert.Equal(urls[..2], items.Select(i => i.GetProperty("Url").GetString()));
            Assert.All(items, i => Assert.Equal("Microsoft.Online.SharePoint.TenantAdministration.SiteProperties", i.GetProperty("_ObjectType_").GetString()));
            Assert.All(items, i => Assert.StartsWith("/Guid(", i.GetProperty("SiteId").GetString()));
            var next = first.GetProperty("NextStartIndexFromSharePoint").GetString();
            Assert.False(string.IsNullOrEmpty(next));

            var second = Last(await ProcessQueryAsync(ListXml($"Url -like '{tag}'", next!)));
            Assert.Equal(new[] { urls[2] }, second.GetProperty("_Child_Items_").EnumerateArray().Select(i => i.GetProperty("Url").GetString()));
            Assert.Equal(JsonValueKind.Null, second.GetProperty("NextStartIndexFromSharePoint").ValueKind);
        }
        finally
        {
            _sandbox.Sites.ListPageSize = 300;
        }
    }

    [Theory]
    [InlineData("Url -like '{0}-a' -or Url -like '{0}-c'", "a,c")]
    [InlineData("Url -like '{0}' -and Title -ne 'b of {0}'", "a,c")]
    [InlineData("Url -like '{0}' -and Url -notlike '-A'", "b,c")]
    [InlineData("Title -eq \"c of {0}\"", "c")]
    [InlineData("Url -like '{0}' -and Template -eq 'STS#3'", "b")]
    public async Task The_filter_grammar_is_SharePoints(string filter, string expected)
    {
        var tag = Tag();
        NewSite(tag, "a");
        NewSite(tag, "b", "STS#3");
        NewSite(tag, "c");

        var sites = Last(await ProcessQueryAsync(ListXml(string.Format(filter, tag), "0"))).GetProperty("_Child_Items_").EnumerateArray();

        Assert.Equal(expected.Split(',').Select(n => $"https://contoso.sharepoint.com/sites/{tag}-{n}"), sites.Select(s => s.GetProperty("Url").GetString()));
    }

    [Theory]
    [InlineData("Colour -eq 'blue'")]
    [InlineData("Url 'x'")]
    [InlineData("Url -like 'x' -xor Title -eq 'y'")]
    public async Task A_filter_SharePoint_cannot_read_is_an_ArgumentException(string filter)
    {
        var answer = await ProcessQueryAsync(ListXml(filter, "0"));
        Assert.Equal("System.ArgumentException", answer[0].GetProperty("ErrorInfo").GetProperty("ErrorTypeName").GetString());
        Assert.Equal(1, answer.GetArrayLength());
    }

    [Fact]
    public async Task OneDrive_sites_are_left_out_unless_asked_for_and_a_template_keeps_one_kind()
    {
        static IEnumerable<string> Templates(JsonElement page) => page.GetProperty("_Child_Items_").EnumerateArray().Select(s => s.GetProperty("Template").GetString()!);

        Assert.DoesNotContain("SPSPERS#10", Templates(Last(await ProcessQueryAsync(ListXml(string.Empty, "0")))));
        Assert.Contains("SPSPERS#10", Templates(Last(await ProcessQueryAsync(ListXml(string.Empty, "0", personal: "1")))));
        Assert.All(Templates(Last(await ProcessQueryAsync(ListXml(string.Empty, "0", template: "TENANTADMIN#0")))), t => Assert.Equal("TENANTADMIN#0", t));
    }

    [Fact]
    public async Task RemoveSite_is_an_operation_on_the_clock_then_the_site_is_in_the_recycle_bin_to_restore_or_purge()
    {
        var url = NewSite(Tag(), "gone");
        var operation = Last(await ProcessQueryAsync(UrlMethodXml("RemoveSite", url)));
        Assert.False(operation.GetProperty("IsComplete").GetBoolean());
        var identity = operation.GetProperty("_ObjectIdentity_").GetString()!;
        Assert.Contains("\nSpoOperation\nRemoveSite\n", identity);
        Assert.False(Last(await ProcessQueryAsync(PollXml(identity))).GetProperty("IsComplete").GetBoolean());
        _sandbox.Clock.Advance(_sandbox.Sites.OperationDelay + TimeSpan.FromSeconds(1));
        Assert.True(Last(await ProcessQueryAsync(PollXml(identity))).GetProperty("IsComplete").GetBoolean());

        Assert.False(_sandbox.Sites.TryGet(url, out _));
        var deleted = Last(await ProcessQueryAsync(DeletedXml())).GetProperty("_Child_Items_").EnumerateArray().Single(d => d.GetProperty("Url").GetString() == url);
        Assert.Equal("Recycled", deleted.GetProperty("Status").GetString());
        Assert.Equal(93, deleted.GetProperty("DaysRemaining").GetInt32());

        Assert.Null(ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RestoreDeletedSite", url))));
        Assert.True(_sandbox.Sites.TryGet(url, out _));
        Assert.Null(ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveSite", url))));
        Assert.Null(ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveDeletedSite", url))));
        Assert.False(_sandbox.Sites.TryGetDeleted(url, out _));
        Assert.Equal($"Unable to find the deleted site: {url}.", ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RestoreDeletedSite", url))));
    }

    [Fact]
    public async Task RemoveSite_refuses_a_groups_site_the_root_site_and_the_admin_site()
    {
        var group = NewSite(Tag(), "team", "GROUP#0", Guid.NewGuid());
        Assert.Equal("This site belongs to a Microsoft 365 group. To delete the site, you must delete the group.", ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveSite", group))));
        Assert.Contains("cannot be deleted", ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveSite", "https://contoso.sharepoint.com/"))));
        Assert.Contains("cannot be deleted", ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveSite", Admin))));
        Assert.Equal("Cannot get site https://contoso.sharepoint.com/sites/never.", ErrorMessage(await ProcessQueryAsync(UrlMethodXml("RemoveSite", "https://contoso.sharepoint.com/sites/never"))));
        Assert.True(_sandbox.Sites.TryGet(group, out _));
    }

    [Fact]
    public async Task The_CLIs_REST_removal_reads_the_aggregated_list_and_deletes_a_groups_site_with_its_group()
    {
        var groups = _sandbox.Host.Services.GetRequiredService<GroupStore>();
        var alias = Tag();
        Assert.True(groups.TryCreate("Team", alias, false, string.Empty, string.Empty, Array.Empty<string>(), out var group));
        var teamUrl = NewSite(alias, "team", "GROUP#0", group.Id);
        var newsUrl = NewSite(alias, "news");

        using (var items = await _sandbox.GetAsync($"{Admin}/_api/web/lists/GetByTitle('DO_NOT_DELETE_SPLIST_TENANTADMIN_AGGREGATED_SITECOLLECTIONS')/items?$filter=SiteUrl eq '{Uri.EscapeDataString(teamUrl)}'&$select=GroupId,TimeDeleted,SiteId", Token))
        {
            var item = Assert.Single((await ResourceSandboxFixture.JsonAsync(items)).GetProperty("value").EnumerateArray());
            Assert.Equal(group.Id.ToString(), item.GetProperty("GroupId").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("TimeDeleted").ValueKind);
        }

        using (var deleted = await _sandbox.SendAsync(HttpMethod.Post, $"{Admin}/_api/GroupSiteManager/Delete?siteUrl='{Uri.EscapeDataString(teamUrl)}'", Token, null, null))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.False(groups.TryGet(group.Id, out _));
        Assert.True(_sandbox.Sites.TryGetDeleted(teamUrl, out _));

        using (var removed = await _sandbox.PostJsonAsync($"{Admin}/_api/Microsoft.Online.SharePoint.TenantAdministration.Tenant/RemoveSite", Token, new { siteUrl = newsUrl }))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.True((await ResourceSandboxFixture.JsonAsync(removed)).TryGetProperty("IsComplete", out _));
        }

        using (var items = await _sandbox.GetAsync($"{Admin}/_api/web/lists/GetByTitle('DO_NOT_DELETE_SPLIST_TENANTADMIN_AGGREGATED_SITECOLLECTIONS')/items?$filter=SiteUrl eq '{Uri.EscapeDataString(newsUrl)}'", Token))
        {
            var item = Assert.Single((await ResourceSandboxFixture.JsonAsync(items)).GetProperty("value").EnumerateArray());
            Assert.NotEqual(JsonValueKind.Null, item.GetProperty("TimeDeleted").ValueKind);
        }

        using var purged = await _sandbox.PostJsonAsync($"{Admin}/_api/Microsoft.Online.SharePoint.TenantAdministration.Tenant/RemoveDeletedSite", Token, new { siteUrl = newsUrl });
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.False(_sandbox.Sites.TryGetDeleted(newsUrl, out _));
    }
}
