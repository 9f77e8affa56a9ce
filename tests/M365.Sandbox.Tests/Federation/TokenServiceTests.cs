using System.Net;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Federation;

namespace M365.Sandbox.Tests.Federation;

/// <summary>The GitHub Actions, Azure DevOps and Kubernetes token services: discovery, JWKS, token requests, control API.</summary>
public sealed class TokenServiceTests : IClassFixture<IdentityErrorTests.Fixture>, IAsyncLifetime
{
    private readonly TemporarySandbox _sandbox;

    public TokenServiceTests(IdentityErrorTests.Fixture fixture) => _sandbox = fixture.Sandbox!;

    public Task InitializeAsync() => FederationTestKit.ResetAsync(_sandbox);

    public Task DisposeAsync() => FederationTestKit.ResetAsync(_sandbox);

    [Theory]
    [InlineData("github")]
    [InlineData("azureDevOps")]
    [InlineData("kubernetes")]
    public async Task Each_issuer_serves_discovery_whose_jwks_verifies_its_tokens(string source)
    {
        var state = (await FederationTestKit.StateAsync(_sandbox))[source]!;
        var discovery = JsonNode.Parse(await _sandbox.Http.GetStringAsync(state["discoveryUrl"]!.GetValue<string>()))!;
        var expectedIssuer = source switch
        {
            "github" => "https://token.actions.githubusercontent.com",
            "azureDevOps" => $"https://vstoken.dev.azure.com/{FederationIssuers.AzureDevOpsOrganizationId(_sandbox.Host.TenantId)}",
            _ => FederationIssuers.Kubernetes(_sandbox.Host.TenantId),
        };
        Assert.Equal(expectedIssuer, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(expectedIssuer, state["issuer"]!.GetValue<string>());
        var jwksUri = discovery["jwks_uri"]!.GetValue<string>();
        Assert.StartsWith(_sandbox.Host.Url + "/oidc/", jwksUri);
        var jwks = JsonNode.Parse(await _sandbox.Http.GetStringAsync(jwksUri))!.AsObject();

        var token = await FederationTestKit.MintAsync(_sandbox, source);

        Assert.True(FederationTestKit.VerifiesWith(token, jwks));
        var claims = TemporarySandbox.Claims(token);
        Assert.Equal(expectedIssuer, claims.GetProperty("iss").GetString());
        Assert.Equal(state["subject"]!.GetValue<string>(), claims.GetProperty("sub").GetString());
        var others = new[] { "github", "azureDevOps", "kubernetes" }.Where(s => s != source);
        foreach (var other in others)
        {
            var otherJwks = JsonNode.Parse(await _sandbox.Http.GetStringAsync($"{_sandbox.Host.Url}/oidc/{(other == "azureDevOps" ? "azuredevops" : other)}/jwks"))!.AsObject();
            Assert.False(FederationTestKit.VerifiesWith(token, otherJwks));
        }
    }

    [Fact]
    public async Task GitHub_answers_the_request_token_with_count_and_value_and_refuses_any_other_bearer()
    {
        var github = (await FederationTestKit.StateAsync(_sandbox))["github"]!;
        Assert.Equal("true", github["GITHUB_ACTIONS"]!.GetValue<string>());
        Assert.EndsWith("/oidc/github/token?api-version=2.0", github["ACTIONS_ID_TOKEN_REQUEST_URL"]!.GetValue<string>());
        var requestToken = github["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]!.GetValue<string>();

        using var ok = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, requestToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
        var token = body["value"]!.GetValue<string>();
        Assert.True(body["count"]!.GetValue<int>() > 0);
        var claims = TemporarySandbox.Claims(token);
        Assert.Equal(FederatedIdentityCredential.DefaultAudience, claims.GetProperty("aud").GetString());
        Assert.Equal("repo:contoso/automation:ref:refs/heads/main", claims.GetProperty("sub").GetString());
        Assert.Equal("contoso/automation", claims.GetProperty("repository").GetString());

        using var noAudience = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, requestToken, audience: null);
        var defaultAudience = TemporarySandbox.Claims(JsonNode.Parse(await noAudience.Content.ReadAsStringAsync())!["value"]!.GetValue<string>());
        Assert.Equal("https://github.com/contoso", defaultAudience.GetProperty("aud").GetString());

        using var wrong = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, requestToken + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var missing = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(2, (await FederationTestKit.StateAsync(_sandbox))["github"]!["issued"]!.GetValue<int>());
    }

    [Fact]
    public async Task AzureDevOps_answers_oidcToken_for_the_service_connection_and_refuses_the_rest()
    {
        var ado = (await FederationTestKit.StateAsync(_sandbox))["azureDevOps"]!;
        var accessToken = ado["SYSTEM_ACCESSTOKEN"]!.GetValue<string>();
        var connection = ado["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"]!.GetValue<string>();
        Assert.Equal(SandboxSeed.PipelinesAppId.ToString(), ado["AZURESUBSCRIPTION_CLIENT_ID"]!.GetValue<string>());
        Assert.Equal(_sandbox.Host.TenantId.ToString(), ado["AZURESUBSCRIPTION_TENANT_ID"]!.GetValue<string>());

        using var ok = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox, accessToken, connection);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var claims = TemporarySandbox.Claims(JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["oidcToken"]!.GetValue<string>());
        Assert.Equal("sc://contoso/automation/m365-sandbox", claims.GetProperty("sub").GetString());
        Assert.Equal(FederatedIdentityCredential.DefaultAudience, claims.GetProperty("aud").GetString());

        using var wrongBearer = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox, "not-the-token", connection);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
        using var noBearer = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox, null, connection);
        Assert.Equal(HttpStatusCode.Unauthorized, noBearer.StatusCode);
        using var unknown = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox, accessToken, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("ServiceEndpointNotFoundException", await unknown.Content.ReadAsStringAsync());
        using var noVersion = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox, accessToken, connection, apiVersion: null);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Equal(1, (await FederationTestKit.StateAsync(_sandbox))["azureDevOps"]!["issued"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_sets_what_later_tokens_carry_and_reset_restores_the_defaults()
    {
        using var put = await FederationTestKit.ConfigureAsync(_sandbox, "GitHub",
            """{"subject":"repo:contoso/automation:environment:prod","audience":"api://other","issuer":"https://Token.actions.githubusercontent.com","lifetimeSeconds":60,"notBefore":-30}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var claims = TemporarySandbox.Claims(await FederationTestKit.MintAsync(_sandbox, "github"));

        Assert.Equal("repo:contoso/automation:environment:prod", claims.GetProperty("sub").GetString());
        Assert.Equal("api://other", claims.GetProperty("aud").GetString());
        Assert.Equal("https://Token.actions.githubusercontent.com", claims.GetProperty("iss").GetString());
        Assert.Equal(60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.InRange(claims.GetProperty("nbf").GetInt64(), before - 32, before - 28);
        var state = (await FederationTestKit.StateAsync(_sandbox))["github"]!;
        Assert.Equal(60, state["lifetimeSeconds"]!.GetValue<double>());
        Assert.Equal(1, state["issued"]!.GetValue<int>());

        await FederationTestKit.ResetAsync(_sandbox);
        var reset = (await FederationTestKit.StateAsync(_sandbox))["github"]!;
        Assert.Equal(0, reset["issued"]!.GetValue<int>());
        Assert.Equal(300, reset["lifetimeSeconds"]!.GetValue<double>());
        Assert.Equal("https://token.actions.githubusercontent.com", reset["issuer"]!.GetValue<string>());
        Assert.Equal("repo:contoso/automation:ref:refs/heads/main", reset["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_service_can_be_faulted_and_its_requests_are_logged_without_the_bearer()
    {
        var requestToken = (await FederationTestKit.StateAsync(_sandbox))["github"]!["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]!.GetValue<string>();
        _sandbox.Host.ResetRequestLog();
        var fault = _sandbox.Host.InjectFault(new Control.FaultRule { Host = "127.0.0.1", Path = "/oidc/github/token", Status = 503, Times = 1 });

        using var faulted = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, requestToken);
        using var next = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, requestToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, (await FederationTestKit.StateAsync(_sandbox))["github"]!["issued"]!.GetValue<int>());
        var logged = _sandbox.Host.GetRequestLog().Where(e => e.Path == "/oidc/github/token").ToArray();
        Assert.Equal(new[] { 503, 200 }, logged.Select(e => e.Status));
        Assert.DoesNotContain(requestToken, System.Text.Json.JsonSerializer.Serialize(_sandbox.Host.GetRequestLog()));
        _sandbox.Host.ClearFaults();
        Assert.NotNull(fault);
    }

    [Theory]
    [InlineData("""{"lifetimeSeconds":0}""")]
    [InlineData("""{"subject":""}""")]
    [InlineData("""{"issuer":42}""")]
    [InlineData("""{"notBefore":"yesterday"}""")]
    [InlineData("""{"colour":"blue"}""")]
    [InlineData("""[1]""")]
    public async Task Put_refuses_an_invalid_body_and_an_unknown_source(string body)
    {
        using var bad = await FederationTestKit.ConfigureAsync(_sandbox, "github", body);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await FederationTestKit.ConfigureAsync(_sandbox, "jenkins", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(300, (await FederationTestKit.StateAsync(_sandbox))["github"]!["lifetimeSeconds"]!.GetValue<double>());
    }
}
