using System.Net;
using System.Text.Json;

namespace M365.Sandbox.Tests.Resources;

/// <summary>$search, $orderby, $count and $expand on servicePrincipals, with Graph's rules for advanced queries on directory objects.</summary>
[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphServicePrincipalAdvancedQueryTests
{
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphServicePrincipalAdvancedQueryTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string AppToken => _sandbox.AppToken(Graph, "Application.Read.All");

    private async Task<JsonElement> PageAsync(string query, bool eventual)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals?{query}", AppToken, r =>
        {
            if (eventual)
            {
                r.Headers.Add("ConsistencyLevel", "eventual");
            }
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ResourceSandboxFixture.JsonAsync(response);
    }

    private static List<string> Names(JsonElement page) => page.GetProperty("value").EnumerateArray().Select(sp => sp.GetProperty("displayName").GetString()!).ToList();

    [Fact]
    public async Task SearchMatchesWordsThatStartWithTheTermAndCountsThemWithEventualConsistency()
    {
        var page = await PageAsync("$search=\"displayName:sharepoint\"&$count=true&$top=999&$select=displayName", eventual: true);

        var names = Names(page);
        Assert.Contains("Office 365 SharePoint Online", names);
        Assert.All(names, n => Assert.Contains(n.Split(' ', '-', '_', '.'), w => w.StartsWith("sharepoint", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(names.Count, page.GetProperty("@odata.count").GetInt32());
    }

    [Fact]
    public async Task OrderByDisplayNameWorksAloneAndWithAFilterOnlyAsAnAdvancedQuery()
    {
        var alone = Names(await PageAsync("$orderby=displayName desc&$top=20&$select=displayName", eventual: false));
        var filtered = Names(await PageAsync("$filter=startswith(displayName,'Office')&$orderby=displayName&$count=true&$select=displayName", eventual: true));

        Assert.Equal(alone.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), alone);
        Assert.NotEmpty(filtered);
        Assert.Equal(filtered.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), filtered);
        Assert.All(filtered, n => Assert.StartsWith("Office", n, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SortedPagesFollowEachOtherThroughTheNextLink()
    {
        var first = await PageAsync("$orderby=displayName&$top=3&$select=displayName", eventual: false);
        using var response = await _sandbox.GetAsync(first.GetProperty("@odata.nextLink").GetString()!, AppToken);
        var second = Names(await ResourceSandboxFixture.JsonAsync(response));

        var both = Names(first).Concat(second).ToList();
        Assert.Equal(6, both.Count);
        Assert.Equal(both.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), both);
    }

    [Fact]
    public async Task ExpandAppRoleAssignedToWritesTheAssignmentsOnEachItem()
    {
        var page = await PageAsync("$filter=appId eq '00000003-0000-0000-c000-000000000000'&$expand=appRoleAssignedTo", eventual: false);

        var graph = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, graph.GetProperty("appRoleAssignedTo").ValueKind);
        Assert.All(graph.GetProperty("appRoleAssignedTo").EnumerateArray(), a => Assert.Equal(graph.GetProperty("id").GetString(), a.GetProperty("resourceId").GetString()));
    }
}
