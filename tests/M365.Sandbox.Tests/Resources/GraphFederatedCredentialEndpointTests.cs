using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using M365.Sandbox.Directory;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Sandbox.Tests.Resources;

/// <summary>Graph's /applications lookups and an app's federatedIdentityCredentials: list, create, get, delete, limits, permissions.</summary>
[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphFederatedCredentialEndpointTests : IDisposable
{
    private const string Graph = "https://graph.microsoft.com";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphFederatedCredentialEndpointTests(ResourceSandboxFixture sandbox)
    {
        _sandbox = sandbox;
        Store.ResetToSeed();
    }

    private FederatedIdentityCredentialStore Store => _sandbox.Host.Services.GetRequiredService<FederatedIdentityCredentialStore>();

    private SeededApp Pipelines => _sandbox.Seed.PipelinesApp;

    private string Credentials => $"{Graph}/v1.0/applications/{Pipelines.ApplicationObjectId}/federatedIdentityCredentials";

    private string Reader => _sandbox.AppToken(Graph, "Application.Read.All");

    private string Writer => _sandbox.AppToken(Graph, "Application.ReadWrite.All");

    public void Dispose() => Store.ResetToSeed();

    [Fact]
    public async Task An_apps_object_id_is_found_by_its_app_id_and_the_object_by_its_id()
    {
        using var filtered = await _sandbox.GetAsync($"{Graph}/v1.0/applications?$filter=appId eq '{SandboxSeed.PipelinesAppId}'", Reader);
        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        var app = Assert.Single((await ResourceSandboxFixture.JsonAsync(filtered)).GetProperty("value").EnumerateArray());
        Assert.Equal(Pipelines.ApplicationObjectId.ToString(), app.GetProperty("id").GetString());
        Assert.NotEqual(Pipelines.ServicePrincipalId, Pipelines.ApplicationObjectId);

        using var byId = await _sandbox.GetAsync($"{Graph}/v1.0/applications/{Pipelines.ApplicationObjectId}", Reader);
        var body = await ResourceSandboxFixture.JsonAsync(byId);
        Assert.Equal("Contoso Pipelines", body.GetProperty("displayName").GetString());
        Assert.Equal(SandboxSeed.PipelinesAppId.ToString(), body.GetProperty("appId").GetString());
        Assert.EndsWith("$metadata#applications/$entity", body.GetProperty("@odata.context").GetString());

        using var all = await _sandbox.GetAsync($"{Graph}/v1.0/applications", Reader);
        Assert.Equal(_sandbox.Seed.Apps.Count(a => !a.IsFirstParty), (await ResourceSandboxFixture.JsonAsync(all)).GetProperty("value").GetArrayLength());
        using var byName = await _sandbox.GetAsync($"{Graph}/beta/applications?$filter=displayName eq 'M365 Sandbox Automation'", Reader);
        Assert.Equal(SandboxSeed.AutomationAppId.ToString(), Assert.Single((await ResourceSandboxFixture.JsonAsync(byName)).GetProperty("value").EnumerateArray()).GetProperty("appId").GetString());

        using var missing = await _sandbox.GetAsync($"{Graph}/v1.0/applications/{Guid.NewGuid()}", Reader);
        await AssertGraphErrorAsync(missing, HttpStatusCode.NotFound, "Request_ResourceNotFound");
        using var unsupported = await _sandbox.GetAsync($"{Graph}/v1.0/applications?$filter=startswith(displayName,'C')", Reader);
        await AssertGraphErrorAsync(unsupported, HttpStatusCode.BadRequest, "Request_UnsupportedQuery");
        using var noRole = await _sandbox.GetAsync($"{Graph}/v1.0/applications", _sandbox.AppToken(Graph, "Sites.Read.All"));
        await AssertGraphErrorAsync(noRole, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
    }

    [Fact]
    public async Task The_seeded_app_lists_one_credential_per_token_service()
    {
        using var response = await _sandbox.GetAsync(Credentials, Reader);

        var body = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal($"https://graph.microsoft.com/v1.0/$metadata#applications('{Pipelines.ApplicationObjectId}')/federatedIdentityCredentials", body.GetProperty("@odata.context").GetString());
        var credentials = body.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(new[] { "github-main", "azure-devops", "kubernetes" }, credentials.Select(c => c.GetProperty("name").GetString()));
        var github = credentials[0];
        Assert.Equal("https://token.actions.githubusercontent.com", github.GetProperty("issuer").GetString());
        Assert.Equal("repo:contoso/automation:ref:refs/heads/main", github.GetProperty("subject").GetString());
        Assert.Equal(new[] { "api://AzureADTokenExchange" }, github.GetProperty("audiences").EnumerateArray().Select(a => a.GetString()));
        Assert.True(Guid.TryParse(github.GetProperty("id").GetString(), out _));

        using var automation = await _sandbox.GetAsync($"{Graph}/v1.0/applications/{_sandbox.Seed.AutomationApp.ApplicationObjectId}/federatedIdentityCredentials", Reader);
        Assert.Equal(0, (await ResourceSandboxFixture.JsonAsync(automation)).GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task A_credential_is_created_found_by_id_and_by_name_and_deleted()
    {
        using var created = await PostAsync(Writer, Body("release", "repo:contoso/automation:environment:release"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ResourceSandboxFixture.JsonAsync(created);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("release", body.GetProperty("name").GetString());
        Assert.Equal("Release environment", body.GetProperty("description").GetString());
        Assert.EndsWith($"/federatedIdentityCredentials/{id}", created.Headers.Location!.ToString());

        using var byId = await _sandbox.GetAsync($"{Credentials}/{id}", Reader);
        Assert.Equal("repo:contoso/automation:environment:release", (await ResourceSandboxFixture.JsonAsync(byId)).GetProperty("subject").GetString());
        using var byName = await _sandbox.GetAsync($"{Credentials}/release", Reader);
        Assert.Equal(id, (await ResourceSandboxFixture.JsonAsync(byName)).GetProperty("id").GetString());
        Assert.Equal(4, Store.List(Pipelines.ApplicationObjectId).Count);

        using var deleted = await _sandbox.SendAsync(HttpMethod.Delete, $"{Credentials}/{id}", Writer, null, null);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await _sandbox.GetAsync($"{Credentials}/{id}", Reader);
        await AssertGraphErrorAsync(gone, HttpStatusCode.NotFound, "Request_ResourceNotFound");
        using var again = await _sandbox.SendAsync(HttpMethod.Delete, $"{Credentials}/{id}", Writer, null, null);
        await AssertGraphErrorAsync(again, HttpStatusCode.NotFound, "Request_ResourceNotFound");
    }

    [Fact]
    public async Task Names_and_issuer_subject_pairs_are_unique_and_an_app_holds_at_most_twenty()
    {
        using var sameName = await PostAsync(Writer, Body("GitHub-Main", "repo:contoso/other:ref:refs/heads/main"));
        var conflict = await AssertGraphErrorAsync(sameName, HttpStatusCode.Conflict, "Request_MultipleObjectsWithSameKeyValue");
        Assert.Equal("FederatedIdentityCredential with name GitHub-Main already exists.", conflict);
        using var samePair = await PostAsync(Writer, Body("other-name", "repo:contoso/automation:ref:refs/heads/main"));
        Assert.Contains("combination of issuer and subject must be unique", await AssertGraphErrorAsync(samePair, HttpStatusCode.BadRequest, "Request_BadRequest"));

        for (var i = 4; i <= FederatedIdentityCredentialStore.MaxPerApplication; i++)
        {
            using var ok = await PostAsync(Writer, Body($"branch-{i}", $"repo:contoso/automation:ref:refs/heads/b{i}"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var overLimit = await PostAsync(Writer, Body("one-too-many", "repo:contoso/automation:ref:refs/heads/extra"));
        Assert.Contains("maximum of 20", await AssertGraphErrorAsync(overLimit, HttpStatusCode.BadRequest, "Request_BadRequest"));
        Assert.Equal(20, Store.List(Pipelines.ApplicationObjectId).Count);
    }

    [Theory]
    [InlineData("""{"issuer":"https://i","subject":"s","audiences":["api://AzureADTokenExchange"]}""", "name")]
    [InlineData("""{"name":"has space","issuer":"https://i","subject":"s","audiences":["api://AzureADTokenExchange"]}""", "name")]
    [InlineData("""{"name":"ok","subject":"s","audiences":["api://AzureADTokenExchange"]}""", "issuer")]
    [InlineData("""{"name":"ok","issuer":"https://i","subject":"","audiences":["api://AzureADTokenExchange"]}""", "subject")]
    [InlineData("""{"name":"ok","issuer":"https://i","subject":"s"}""", "audiences")]
    [InlineData("""{"name":"ok","issuer":"https://i","subject":"s","audiences":[]}""", "audiences")]
    [InlineData("""{"name":"ok","issuer":"https://i","subject":"s","audiences":["a","b"]}""", "audiences")]
    [InlineData("""{"name":"ok","issuer":"https://i","subject":"s","audiences":["a"],"colour":"blue"}""", "colour")]
    public async Task An_invalid_body_is_refused_naming_the_property(string json, string property)
    {
        using var response = await PostAsync(Writer, json);
        Assert.Contains($"'{property}'", await AssertGraphErrorAsync(response, HttpStatusCode.BadRequest, "Request_BadRequest"));
        Assert.Equal(3, Store.List(Pipelines.ApplicationObjectId).Count);
    }

    [Fact]
    public async Task A_name_may_have_120_characters_and_no_more()
    {
        using var longest = await PostAsync(Writer, Body(new string('n', 120), "s120"));
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        using var tooLong = await PostAsync(Writer, Body(new string('n', 121), "s121"));
        Assert.Contains("'name'", await AssertGraphErrorAsync(tooLong, HttpStatusCode.BadRequest, "Request_BadRequest"));
    }

    [Fact]
    public async Task Writing_needs_Application_ReadWrite_All_or_a_delegated_admin()
    {
        using var readerOnly = await PostAsync(Reader, Body("by-reader", "s1"));
        await AssertGraphErrorAsync(readerOnly, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
        using var readerDelete = await _sandbox.SendAsync(HttpMethod.Delete, $"{Credentials}/github-main", Reader, null, null);
        await AssertGraphErrorAsync(readerDelete, HttpStatusCode.Forbidden, "Authorization_RequestDenied");

        var nonAdmin = _sandbox.Host.Tokens.IssueDelegated(_sandbox.Seed.MfaUser, _sandbox.Seed.PnpManagementShell, Graph, new[] { "Application.ReadWrite.All" }, 0).Token;
        using var byNonAdmin = await PostAsync(nonAdmin, Body("by-user", "s2"));
        await AssertGraphErrorAsync(byNonAdmin, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
        using var adminWithoutScope = await PostAsync(_sandbox.UserToken(Graph, "User.Read"), Body("by-admin-user-read", "s3"));
        await AssertGraphErrorAsync(adminWithoutScope, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
        using var anonymous = await PostAsync(string.Empty, Body("anonymous", "s4"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var byAdmin = await PostAsync(_sandbox.UserToken(Graph, "Directory.AccessAsUser.All"), Body("by-admin", "s5"));
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(4, Store.List(Pipelines.ApplicationObjectId).Count);
    }

    private static string Body(string name, string subject) => JsonSerializer.Serialize(new
    {
        name,
        issuer = "https://token.actions.githubusercontent.com",
        subject,
        audiences = new[] { "api://AzureADTokenExchange" },
        description = "Release environment",
    });

    private Task<HttpResponseMessage> PostAsync(string token, string json) =>
        _sandbox.SendAsync(HttpMethod.Post, Credentials, token, new StringContent(json, Encoding.UTF8, "application/json"),
            token.Length == 0 ? request => request.Headers.Authorization = null : null);

    private static async Task<string> AssertGraphErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
        return error.GetProperty("message").GetString()!;
    }
}
