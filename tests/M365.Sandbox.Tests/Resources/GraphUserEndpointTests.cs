using System.Net;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphUserEndpointTests
{
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphUserEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string UserToken => _sandbox.UserToken(Graph, "User.Read.All");

    [Fact]
    public async Task List_gives_the_seeded_users_with_Graphs_default_properties()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users", UserToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#users", json.GetProperty("@odata.context").GetString());
        Assert.False(json.TryGetProperty("@odata.nextLink", out _));
        var users = json.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(_sandbox.Seed.Users.Select(u => u.UserPrincipalName), users.Select(u => u.GetProperty("userPrincipalName").GetString()));
        var admin = users.Single(u => u.GetProperty("id").GetString() == _sandbox.Seed.Admin.Id.ToString());
        Assert.Equal(_sandbox.Seed.Admin.DisplayName, admin.GetProperty("displayName").GetString());
        Assert.Equal(_sandbox.Seed.Admin.UserPrincipalName, admin.GetProperty("mail").GetString());
        Assert.False(admin.TryGetProperty("accountEnabled", out _));
    }

    [Fact]
    public async Task Select_prints_only_the_chosen_properties_and_names_them_in_the_context()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/beta/users?$select=id,accountEnabled,userType", UserToken);
        var json = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal("https://graph.microsoft.com/beta/$metadata#users(id,accountEnabled,userType)", json.GetProperty("@odata.context").GetString());
        foreach (var user in json.GetProperty("value").EnumerateArray())
        {
            Assert.Equal(new[] { "id", "accountEnabled", "userType" }, user.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.True(user.GetProperty("accountEnabled").GetBoolean());
            Assert.Equal("Member", user.GetProperty("userType").GetString());
        }
    }

    [Fact]
    public async Task Unknown_select_property_is_Graphs_400()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users?$select=shoeSize", UserToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.Equal("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Filter_by_userPrincipalName_matches_one_user_ignoring_case()
    {
        var upn = _sandbox.Seed.MfaUser.UserPrincipalName.ToUpperInvariant();
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users?$filter={Uri.EscapeDataString($"userPrincipalName eq '{upn}'")}", UserToken);
        var user = Assert.Single((await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").EnumerateArray());
        Assert.Equal(_sandbox.Seed.MfaUser.Id.ToString(), user.GetProperty("id").GetString());

        using var none = await _sandbox.GetAsync($"{Graph}/v1.0/users?$filter={Uri.EscapeDataString("userPrincipalName eq 'nobody@contoso.onmicrosoft.com'")}", UserToken);
        Assert.Empty((await ResourceSandboxFixture.JsonAsync(none)).GetProperty("value").EnumerateArray());
    }

    [Theory]
    [InlineData("displayName eq 'Sandbox Admin'", "Request_UnsupportedQuery")]
    [InlineData("startswith(userPrincipalName,'admin')", "BadRequest")]
    public async Task Other_filters_are_refused_with_Graphs_400(string filter, string code)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users?$filter={Uri.EscapeDataString(filter)}", UserToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000")]
    [InlineData("ten")]
    public async Task Top_outside_1_to_999_is_400(string top)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users?$top={top}", UserToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Top_smaller_than_the_directory_pages_with_a_next_link()
    {
        using var first = await _sandbox.GetAsync($"{Graph}/v1.0/users?$top=1&$select=userPrincipalName", UserToken);
        var page = await ResourceSandboxFixture.JsonAsync(first);
        Assert.Equal(_sandbox.Seed.Users[0].UserPrincipalName, Assert.Single(page.GetProperty("value").EnumerateArray()).GetProperty("userPrincipalName").GetString());
        var next = page.GetProperty("@odata.nextLink").GetString()!;
        Assert.StartsWith("https://graph.microsoft.com/v1.0/users?", next);

        using var second = await _sandbox.GetAsync(next, UserToken);
        var secondPage = await ResourceSandboxFixture.JsonAsync(second);
        Assert.Equal(_sandbox.Seed.Users[1].UserPrincipalName, Assert.Single(secondPage.GetProperty("value").EnumerateArray()).GetProperty("userPrincipalName").GetString());
    }

    [Fact]
    public async Task Get_finds_a_user_by_id_and_by_userPrincipalName()
    {
        var admin = _sandbox.Seed.Admin;
        using var byId = await _sandbox.GetAsync($"{Graph}/v1.0/users/{admin.Id}", UserToken);
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        var json = await ResourceSandboxFixture.JsonAsync(byId);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#users/$entity", json.GetProperty("@odata.context").GetString());
        Assert.Equal(admin.UserPrincipalName, json.GetProperty("userPrincipalName").GetString());

        // A UPN ends in ".com": the route must still match it, not the dotted-path fallback.
        using var byUpn = await _sandbox.GetAsync($"{Graph}/v1.0/users/{admin.UserPrincipalName}?$select=id,displayName", UserToken);
        Assert.Equal(HttpStatusCode.OK, byUpn.StatusCode);
        var selected = await ResourceSandboxFixture.JsonAsync(byUpn);
        Assert.Equal("https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)/$entity", selected.GetProperty("@odata.context").GetString());
        Assert.Equal(admin.Id.ToString(), selected.GetProperty("id").GetString());
        Assert.Equal(admin.DisplayName, selected.GetProperty("displayName").GetString());
        Assert.False(selected.TryGetProperty("userPrincipalName", out _));
    }

    [Theory]
    [InlineData("nobody@contoso.onmicrosoft.com")]
    [InlineData("6d0f2a49-5d3c-4a1b-9a55-2f6d1c0e9b11")]
    public async Task Unknown_user_is_Graphs_404(string id)
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users/{id}", UserToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal("Request_ResourceNotFound", error.GetProperty("code").GetString());
        Assert.Equal($"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_without_a_user_reading_permission_is_refused_with_403()
    {
        using var list = await _sandbox.GetAsync($"{Graph}/v1.0/users", _sandbox.UserToken(Graph, "User.Read"));
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var get = await _sandbox.GetAsync($"{Graph}/v1.0/users/{_sandbox.Seed.Admin.Id}", _sandbox.UserToken(Graph, "User.Read"));
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
    }

    [Fact]
    public async Task The_seeded_automation_apps_roles_do_not_include_reading_users()
    {
        var roles = _sandbox.Seed.AutomationApp.ApplicationPermissions["graph"];
        Assert.DoesNotContain(roles, r => r is "User.Read.All" or "User.ReadWrite.All" or "Directory.Read.All" or "Directory.ReadWrite.All");
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users", _sandbox.AppToken(Graph, roles));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_app_only_token_with_User_Read_All_reads_a_user()
    {
        using var response = await _sandbox.GetAsync($"{Graph}/v1.0/users/{_sandbox.Seed.Admin.UserPrincipalName}", _sandbox.AppToken(Graph, "User.Read.All"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_sandbox.Seed.Admin.Id.ToString(), (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("id").GetString());
    }
}
