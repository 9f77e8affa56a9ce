using System.Net;
using System.Text.Json;
using M365.Sandbox.Graph.ServicePrincipals;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphServicePrincipalEndpointTests
{
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphServicePrincipalEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string AppToken => _sandbox.AppToken(Graph, "Application.Read.All");

    [Fact]
    public async Task Paging_at_999_returns_every_principal_once_in_two_pages()
    {
        var url = $"{Graph}/v1.0/servicePrincipals?$top=999&$select=id,appId,displayName";
        var ids = new HashSet<string>();
        var pages = 0;
        while (url is not null && pages < 10)
        {
            using var response = await _sandbox.GetAsync(url, AppToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ResourceSandboxFixture.JsonAsync(response);
            Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName)", page.GetProperty("@odata.context").GetString());
            foreach (var sp in page.GetProperty("value").EnumerateArray())
            {
                Assert.Equal(new[] { "id", "appId", "displayName" }, sp.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.True(ids.Add(sp.GetProperty("id").GetString()!));
            }

            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            if (url is not null)
            {
                Assert.StartsWith("https://graph.microsoft.com/v1.0/servicePrincipals?", url);
                Assert.Contains("$skiptoken=", url);
                Assert.Contains("$top=999", url);
            }

            pages++;
        }

        var catalog = new ServicePrincipalCatalog(0, _sandbox.Host.TenantId, SeededServicePrincipals.From(_sandbox.Seed));
        Assert.Equal(2, pages);
        Assert.Equal(1000 + catalog.Count, ids.Count);
    }

    [Fact]
    public async Task Default_page_is_100_with_a_next_link()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals", AppToken);
        var page = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(100, page.GetProperty("value").GetArrayLength());
        Assert.True(page.TryGetProperty("@odata.nextLink", out _));
        var first = page.GetProperty("value")[0];
        Assert.Equal("Application", first.GetProperty("servicePrincipalType").GetString());
        Assert.False(first.TryGetProperty("createdDateTime", out _));
    }

    [Fact]
    public async Task Beta_adds_createdDateTime()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/beta/servicePrincipals?$top=1", AppToken);
        var page = await ResourceSandboxFixture.JsonAsync(response);
        Assert.True(page.GetProperty("value")[0].TryGetProperty("createdDateTime", out _));
        using var v1 = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$select=createdDateTime", AppToken);
        Assert.Equal(HttpStatusCode.BadRequest, v1.StatusCode);
    }

    [Fact]
    public async Task Filter_by_app_id_finds_Microsoft_Graph_and_get_by_id_returns_it()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'", AppToken);
        var value = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value");
        var sp = Assert.Single(value.EnumerateArray());
        Assert.Equal("Microsoft Graph", sp.GetProperty("displayName").GetString());
        Assert.Contains(sp.GetProperty("appRoles").EnumerateArray(), r => r.GetProperty("value").GetString() == "Application.Read.All");

        var id = sp.GetProperty("id").GetString();
        using var single = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals/{id}?$select=id,appId", AppToken);
        var entity = await ResourceSandboxFixture.JsonAsync(single);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId)/$entity", entity.GetProperty("@odata.context").GetString());
        Assert.Equal("00000003-0000-0000-c000-000000000000", entity.GetProperty("appId").GetString());
        Assert.False(entity.TryGetProperty("displayName", out _));
    }

    [Theory]
    [InlineData("displayName eq 'Office 365 SharePoint Online'", 1)]
    [InlineData("displayName eq 'Margie''s Travel Payroll Connector'", 1)]
    [InlineData("displayName eq 'No such app'", 0)]
    [InlineData("appId eq 'not-a-guid'", 0)]
    public async Task Filter_by_display_name_unescapes_quotes(string filter, int expected)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$filter={Uri.EscapeDataString(filter)}", AppToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("startswith(displayName,'Office')", new[] { "Office 365 SharePoint Online", "Office 365 Management APIs" })]
    [InlineData("startswith(DisplayName,'office 365 s')", new[] { "Office 365 SharePoint Online" })]
    [InlineData("displayName eq 'Yammer' or displayName eq 'Microsoft Graph'", new[] { "Microsoft Graph", "Yammer" })]
    [InlineData("appId in ('00000005-0000-0ff1-ce00-000000000000', '00000003-0000-0000-c000-000000000000')", new[] { "Microsoft Graph", "Yammer" })]
    [InlineData("startswith(appId,'00000003-0000-0') and accountEnabled eq true", new[] { "Microsoft Graph", "Office 365 SharePoint Online" })]
    [InlineData("(displayName eq 'Yammer' or startswith(displayName,'Office')) and appOwnerOrganizationId eq f8cdef31-a31e-4b4a-93e4-5f571e91255a and servicePrincipalType eq 'Application'", new[] { "Office 365 SharePoint Online", "Office 365 Management APIs", "Yammer" })]
    [InlineData("startswith(displayName,'Margie''s Travel Payroll C')", new[] { "Margie's Travel Payroll Connector" })]
    [InlineData("startswith(displayName,'Office') and accountEnabled eq false", new string[0])]
    public async Task Filters_combine_eq_in_startswith_and_or_as_Graph_does(string filter, string[] expected)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$select=displayName&$filter={Uri.EscapeDataString(filter)}", AppToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").EnumerateArray().Select(v => v.GetProperty("displayName").GetString()).ToArray();
        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task A_scanning_filter_pages_with_its_filter_kept_in_the_next_link()
    {
        var url = $"{Graph}/v1.0/servicePrincipals?$top=5&$select=displayName&$filter={Uri.EscapeDataString("startswith(displayName,'Contoso')")}";
        var names = new List<string>();
        while (url is not null)
        {
            using var response = await _sandbox.GetAsync(url, AppToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ResourceSandboxFixture.JsonAsync(response);
            names.AddRange(page.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("displayName").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString()! : null;
        }

        Assert.True(names.Count > 5, $"{names.Count} Contoso apps");
        Assert.All(names, n => Assert.StartsWith("Contoso", n, StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("$filter=startswith(displayName,'Contoso'", "BadRequest")]
    [InlineData("$filter=displayName eq 'unterminated", "BadRequest")]
    [InlineData("$filter=notAProperty eq 'x'", "BadRequest")]
    [InlineData("$filter=tags eq 'x'", "BadRequest")]
    [InlineData("$filter=displayName ne 'x'", "Request_UnsupportedQuery")]
    [InlineData("$filter=not(displayName eq 'x')", "Request_UnsupportedQuery")]
    [InlineData("$filter=endswith(displayName,'Portal')", "Request_UnsupportedQuery")]
    [InlineData("$filter=displayName ge 'x'", "Request_UnsupportedQuery")]
    [InlineData("$filter=startswith(servicePrincipalType,'App')", "Request_UnsupportedQuery")]
    [InlineData("$filter=accountEnabled in (true)", "Request_UnsupportedQuery")]
    [InlineData("$filter=tags/any(t:t eq 'HideApp')", "Request_UnsupportedQuery")]
    [InlineData("$top=1000", "Request_UnsupportedQuery")]
    [InlineData("$top=0", "Request_UnsupportedQuery")]
    [InlineData("$top=ten", "BadRequest")]
    [InlineData("$select=id,notAProperty", "BadRequest")]
    [InlineData("$skiptoken=garbage", "BadRequest")]
    [InlineData("$count=true", "BadRequest")]
    [InlineData("$search=\"displayName:Office\"", "Request_UnsupportedQuery")]
    [InlineData("$orderby=appId", "Request_UnsupportedQuery")]
    [InlineData("$filter=startswith(displayName,'Office')&$orderby=displayName", "Request_UnsupportedQuery")]
    [InlineData("$expand=owners", "Request_UnsupportedQuery")]
    [InlineData("$skip=5", "Request_UnsupportedQuery")]
    public async Task Unsupported_queries_get_Graph_400s(string query, string code)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?{query}", AppToken, r => r.Headers.Add("client-request-id", "c0ffee00-0000-0000-0000-000000000001"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var inner = error.GetProperty("innerError");
        Assert.Equal("c0ffee00-0000-0000-0000-000000000001", inner.GetProperty("client-request-id").GetString());
        Assert.True(Guid.TryParse(inner.GetProperty("request-id").GetString(), out _));
        Assert.Equal("2025-03-01", inner.GetProperty("date").GetString()![..10]);
    }

    [Fact]
    public async Task Count_with_eventual_consistency_gives_the_total()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$count=true&$top=5", AppToken, r => r.Headers.Add("ConsistencyLevel", "eventual"));
        var page = await ResourceSandboxFixture.JsonAsync(response);
        Assert.True(page.GetProperty("@odata.count").GetInt32() > 1000);
        Assert.Equal(5, page.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_id_is_404_Request_ResourceNotFound()
    {
        var id = Guid.NewGuid();
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals/{id}", AppToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal("Request_ResourceNotFound", error.GetProperty("code").GetString());
        Assert.Contains(id.ToString(), error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_app_only_caller_finds_its_own_principal_by_its_oid()
    {
        var app = _sandbox.Seed.AutomationApp;
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals/{app.ServicePrincipalId}", AppToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(app.AppId.ToString(), (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("appId").GetString());
    }

    [Fact]
    public async Task A_SharePoint_token_is_refused_with_401()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals", _sandbox.AppToken("https://contoso.sharepoint.com", "Sites.FullControl.All"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_without_the_permission_is_refused_with_403()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals", _sandbox.AppToken(Graph, "Sites.FullControl.All"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var delegated = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?$top=1", _sandbox.UserToken(Graph, "Directory.AccessAsUser.All"));
        Assert.Equal(HttpStatusCode.OK, delegated.StatusCode);
    }
}
