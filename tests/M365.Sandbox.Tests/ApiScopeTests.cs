using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests;

/// <summary>
/// The tenant's own API (issue 16, behaviour 6): a token is asked for by its App ID URI or its app id, carries that
/// audience and the API's own permissions, and an API the tenant does not have is AADSTS500011.
/// </summary>
public sealed class ApiScopeTests : IClassFixture<IdentityErrorTests.Fixture>
{
    private readonly TemporarySandbox _sandbox;

    public ApiScopeTests(IdentityErrorTests.Fixture fixture) => _sandbox = fixture.Sandbox!;

    [Theory]
    [InlineData(SandboxSeed.ContosoApiUri + "/.default", SandboxSeed.ContosoApiUri)]
    [InlineData("API://Contoso-Api/.default", SandboxSeed.ContosoApiUri)]
    public async Task AppOnlyByAppIdUriHasThatAudienceAndTheApisRoles(string scope, string audience)
    {
        var claims = Claims(await ClientCredentialsAsync(scope));

        Assert.Equal(audience, claims.GetProperty("aud").GetString());
        Assert.Contains("Items.Read.All", claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task AppOnlyByAppIdHasTheAppIdAsAudience()
    {
        var claims = Claims(await ClientCredentialsAsync(SandboxSeed.ContosoApiAppId + "/.default"));

        Assert.Equal(SandboxSeed.ContosoApiAppId.ToString(), claims.GetProperty("aud").GetString());
    }

    [Fact]
    public async Task DelegatedGetsTheConsentedScope()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", SandboxSeed.PnpManagementShellAppId.ToString()),
            ("username", _sandbox.Host.Seed.Admin.UserPrincipalName), ("password", SandboxSeed.AdminPassword), ("scope", SandboxSeed.ContosoApiUri + "/.default openid profile offline_access"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        var claims = Claims(body);
        Assert.Equal(SandboxSeed.ContosoApiUri, claims.GetProperty("aud").GetString());
        Assert.Equal("user_impersonation", claims.GetProperty("scp").GetString());
    }

    [Theory]
    [InlineData("api://no-such-api/.default")]
    [InlineData("6e0c8f1b-56a2-4f21-bc1e-0c8f6b0b4a11/.default")]
    public async Task AnApiTheTenantDoesNotHaveIs500011(string scope)
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "client_credentials"), ("client_id", SandboxSeed.AutomationAppId.ToString()),
            ("client_secret", SandboxSeed.AutomationAppSecret), ("scope", scope));

        var body = await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_resource", 500011);
        Assert.Contains(scope[..scope.IndexOf("/.default", StringComparison.Ordinal)], body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiAndGraphInOneScopeAre28000()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", SandboxSeed.PnpManagementShellAppId.ToString()),
            ("username", _sandbox.Host.Seed.Admin.UserPrincipalName), ("password", SandboxSeed.AdminPassword), ("scope", SandboxSeed.ContosoApiUri + "/user_impersonation User.Read"));

        await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", 28000);
    }

    private async Task<JsonObject> ClientCredentialsAsync(string scope)
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "client_credentials"), ("client_id", SandboxSeed.AutomationAppId.ToString()),
            ("client_secret", SandboxSeed.AutomationAppSecret), ("scope", scope));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonElement Claims(JsonObject body)
    {
        var payload = body["access_token"]!.GetValue<string>().Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement;
    }
}
