using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Sandbox.Tests.Federation;

/// <summary>The token endpoint's checks of a federated client assertion, each failure with Entra ID's AADSTS code.</summary>
public sealed class FederatedAssertionTests : IClassFixture<IdentityErrorTests.Fixture>, IAsyncLifetime
{
    private readonly TemporarySandbox _sandbox;

    public FederatedAssertionTests(IdentityErrorTests.Fixture fixture) => _sandbox = fixture.Sandbox!;

    public Task InitializeAsync() => FederationTestKit.ResetAsync(_sandbox);

    public Task DisposeAsync() => FederationTestKit.ResetAsync(_sandbox);

    [Theory]
    [InlineData("github")]
    [InlineData("azureDevOps")]
    [InlineData("kubernetes")]
    public async Task A_token_of_each_service_signs_the_pipelines_app_in_for_graph_and_sharepoint(string source)
    {
        var assertion = await PipelineTokenAsync(source);

        using var graph = await FederationTestKit.ExchangeAsync(_sandbox, assertion);
        Assert.Equal(HttpStatusCode.OK, graph.StatusCode);
        var claims = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(graph)).GetProperty("access_token").GetString()!);
        Assert.Equal(SandboxSeed.PipelinesAppId.ToString(), claims.GetProperty("appid").GetString());
        Assert.Equal("app", claims.GetProperty("idtyp").GetString());
        Assert.Equal("2", claims.GetProperty("appidacr").GetString());
        Assert.Contains("Application.Read.All", claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var sharePoint = await FederationTestKit.ExchangeAsync(_sandbox, assertion, scope: "https://contoso.sharepoint.com/.default");
        Assert.Equal(HttpStatusCode.OK, sharePoint.StatusCode);
        var spClaims = TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(sharePoint)).GetProperty("access_token").GetString()!);
        Assert.Equal(new[] { "Sites.FullControl.All" }, spClaims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task An_app_without_federated_credentials_is_70025()
    {
        var assertion = await FederationTestKit.MintAsync(_sandbox, "github");
        using var response = await FederationTestKit.ExchangeAsync(_sandbox, assertion, SandboxSeed.AutomationAppId);
        var body = await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", 70025);
        Assert.StartsWith($"AADSTS70025: The client '{SandboxSeed.AutomationAppId}'(M365 Sandbox Automation) has no configured federated identity credentials.", Description(body));
    }

    [Theory]
    [InlineData("""{"issuer":"https://token.example.com"}""", 401, "invalid_client", 700211, "presented assertion issuer 'https://token.example.com'")]
    [InlineData("""{"issuer":"https://Token.Actions.GitHubUserContent.com"}""", 401, "invalid_client", 7002138, "assertion issuer 'https://Token.Actions.GitHubUserContent.com'. The issuer matches with case-insensitive comparison, but not with case-sensitive comparison.")]
    [InlineData("""{"subject":"repo:Contoso/automation:ref:refs/heads/main"}""", 401, "invalid_client", 7002138, "assertion subject 'repo:Contoso/automation:ref:refs/heads/main'. The subject matches with case-insensitive comparison")]
    [InlineData("""{"audience":"API://AzureADTokenExchange"}""", 401, "invalid_client", 7002138, "assertion audience 'API://AzureADTokenExchange'. The audience matches")]
    [InlineData("""{"subject":"repo:contoso/automation:pull_request"}""", 401, "invalid_client", 700213, "presented assertion subject 'repo:contoso/automation:pull_request'. Check your federated identity credential")]
    [InlineData("""{"audience":"api://other"}""", 401, "invalid_client", 700212, "presented assertion audience 'api://other'.")]
    [InlineData("""{"subject":"repo:contoso/other:ref:refs/heads/main","audience":"api://other"}""", 400, "invalid_request", 70021,
        "No matching federated identity record found for presented assertion. Assertion Issuer: 'https://token.actions.githubusercontent.com'. Assertion Subject: 'repo:contoso/other:ref:refs/heads/main'. Assertion Audience: 'api://other'.")]
    public async Task A_token_no_credential_matches_exactly_gets_the_code_of_what_differs(string settings, int status, string error, int code, string expected)
    {
        (await FederationTestKit.ConfigureAsync(_sandbox, "github", settings)).EnsureSuccessStatusCode();
        var assertion = await PipelineTokenAsync("github");

        using var response = await FederationTestKit.ExchangeAsync(_sandbox, assertion);

        var body = await IdentityErrorTests.AssertAadErrorAsync(response, (HttpStatusCode)status, error, code);
        Assert.Contains(expected, Description(body));
        Assert.Matches(@" Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", Description(body));
    }

    [Theory]
    [InlineData(-7200, 600)]
    [InlineData(600, 600)]
    public async Task A_token_outside_its_time_range_is_700024(int notBeforeSeconds, int lifetimeSeconds)
    {
        (await FederationTestKit.ConfigureAsync(_sandbox, "kubernetes", $$"""{"notBefore":{{notBeforeSeconds}},"lifetimeSeconds":{{lifetimeSeconds}}}""")).EnsureSuccessStatusCode();
        var assertion = await FederationTestKit.MintAsync(_sandbox, "kubernetes");

        using var response = await FederationTestKit.ExchangeAsync(_sandbox, assertion);

        var body = await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", 700024);
        var match = Regex.Match(Description(body),
            @"^AADSTS700024: Client assertion is not within its valid time range\. Current time: (\S+)Z, assertion valid from (\S+)Z, expiry time of assertion (\S+)Z\. Review the documentation at https://learn\.microsoft\.com/entra/identity-platform/certificate-credentials \. Trace ID");
        Assert.True(match.Success, Description(body));
        var claims = TemporarySandbox.Claims(assertion);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("nbf").GetInt64()).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff"), match.Groups[2].Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff"), match.Groups[3].Value);
    }

    [Fact]
    public async Task A_token_living_longer_than_a_day_and_an_hour_is_70023_and_one_within_it_is_accepted()
    {
        (await FederationTestKit.ConfigureAsync(_sandbox, "azureDevOps", """{"lifetimeSeconds":90001}""")).EnsureSuccessStatusCode();
        var tooLong = await PipelineTokenAsync("azureDevOps");
        using var refused = await FederationTestKit.ExchangeAsync(_sandbox, tooLong);
        var body = await IdentityErrorTests.AssertAadErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request", 70023);
        var claims = TemporarySandbox.Claims(tooLong);
        Assert.StartsWith($"AADSTS70023: External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00. Token issued at {claims.GetProperty("iat").GetInt64()}. Token expires on {claims.GetProperty("exp").GetInt64()}.", Description(body));

        (await FederationTestKit.ConfigureAsync(_sandbox, "azureDevOps", """{"lifetimeSeconds":90000}""")).EnsureSuccessStatusCode();
        using var accepted = await FederationTestKit.ExchangeAsync(_sandbox, await PipelineTokenAsync("azureDevOps"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_credential_added_through_graph_lets_its_subject_in_until_it_is_deleted()
    {
        var automation = _sandbox.Host.Seed.AutomationApp;
        var graphToken = _sandbox.Host.Tokens.IssueAppOnly(automation.AppId, automation.DisplayName, automation.ServicePrincipalId,
            "https://graph.microsoft.com", new[] { "Application.ReadWrite.All" }, 1).Token;
        var credentials = $"https://graph.microsoft.com/v1.0/applications/{_sandbox.Host.Seed.PipelinesApp.ApplicationObjectId}/federatedIdentityCredentials";
        using var create = new HttpRequestMessage(HttpMethod.Post, credentials)
        {
            Content = new StringContent("""{"name":"prod","issuer":"https://token.actions.githubusercontent.com","subject":"repo:contoso/automation:environment:prod","audiences":["api://AzureADTokenExchange"]}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", graphToken);
        using var created = await _sandbox.Http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        (await FederationTestKit.ConfigureAsync(_sandbox, "github", """{"subject":"repo:contoso/automation:environment:prod"}""")).EnsureSuccessStatusCode();

        using var accepted = await FederationTestKit.ExchangeAsync(_sandbox, await PipelineTokenAsync("github"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, credentials + "/prod");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", graphToken);
        Assert.Equal(HttpStatusCode.NoContent, (await _sandbox.Http.SendAsync(delete)).StatusCode);
        using var refused = await FederationTestKit.ExchangeAsync(_sandbox, await PipelineTokenAsync("github"));
        await IdentityErrorTests.AssertAadErrorAsync(refused, HttpStatusCode.Unauthorized, "invalid_client", 700213);
    }

    [Fact]
    public async Task A_token_not_signed_by_its_issuers_key_is_refused()
    {
        var genuine = JsonWebToken.TryParse(await FederationTestKit.MintAsync(_sandbox, "github"))!;
        using var stranger = RSA.Create(2048);

        var sameKid = JsonWebToken.Sign(genuine.Header, genuine.Payload, stranger);
        using var forged = await FederationTestKit.ExchangeAsync(_sandbox, sameKid);
        await IdentityErrorTests.AssertAadErrorAsync(forged, HttpStatusCode.Unauthorized, "invalid_client", 50013);

        var otherKid = JsonWebToken.Sign(new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = "not-a-published-key" }, genuine.Payload, stranger);
        using var unknownKey = await FederationTestKit.ExchangeAsync(_sandbox, otherKid);
        var body = await IdentityErrorTests.AssertAadErrorAsync(unknownKey, HttpStatusCode.Unauthorized, "invalid_client", 7000272);
        Assert.Contains("identifier not-a-published-key used to sign the federated credential could not be found in the metadata of identity provider https://token.actions.githubusercontent.com", Description(body));

        // Signed by another of the sandbox's issuers: the kid is not in GitHub's JWKS.
        var kubernetes = JsonWebToken.TryParse(await FederationTestKit.MintAsync(_sandbox, "kubernetes"))!;
        var crossSigned = _sandbox.Host.Federation.KubernetesSource.Key.Sign(genuine.Payload);
        using var cross = await FederationTestKit.ExchangeAsync(_sandbox, crossSigned);
        await IdentityErrorTests.AssertAadErrorAsync(cross, HttpStatusCode.Unauthorized, "invalid_client", 7000272);
        Assert.NotEqual(genuine.GetHeaderString("kid"), kubernetes.GetHeaderString("kid"));
    }

    [Fact]
    public async Task A_credential_for_an_issuer_the_sandbox_does_not_serve_is_50166()
    {
        var store = _sandbox.Host.Services.GetRequiredService<FederatedIdentityCredentialStore>();
        var issuer = "https://issuer.example.com";
        Assert.Equal(FederatedIdentityCredentialStore.AddResult.Added, store.TryAdd(_sandbox.Host.Seed.PipelinesApp.ApplicationObjectId,
            new FederatedIdentityCredential { Id = Guid.NewGuid(), Name = "elsewhere", Issuer = issuer, Subject = "job" }));
        var payload = JsonWebToken.TryParse(await FederationTestKit.MintAsync(_sandbox, "github"))!.Payload;
        payload["iss"] = issuer;
        payload["sub"] = "job";

        using var response = await FederationTestKit.ExchangeAsync(_sandbox, _sandbox.Host.Federation.GitHubSource.Key.Sign(payload));

        await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", 50166);
    }

    [Fact]
    public async Task The_apps_own_certificate_assertion_still_goes_to_the_certificate_check()
    {
        // iss = client id marks a certificate assertion: a pipeline token's checks must not apply to it.
        var payload = JsonWebToken.TryParse(await FederationTestKit.MintAsync(_sandbox, "github"))!.Payload;
        payload["iss"] = SandboxSeed.PipelinesAppId.ToString();
        using var response = await FederationTestKit.ExchangeAsync(_sandbox, _sandbox.Host.Federation.GitHubSource.Key.Sign(payload));
        await IdentityErrorTests.AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", 700027);
    }

    [Fact]
    public async Task Yammer_stays_refused_for_an_app_signed_in_with_a_federated_token()
    {
        using var exchange = await FederationTestKit.ExchangeAsync(_sandbox, await PipelineTokenAsync("github"), scope: "https://www.yammer.com/.default");
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var body = await TemporarySandbox.JsonAsync(exchange);
        Assert.False(TemporarySandbox.Claims(body.GetProperty("access_token").GetString()!).TryGetProperty("roles", out _));

        using var request = new HttpRequestMessage(HttpMethod.Get, "https://www.yammer.com/api/v1/users/current.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        using var yammer = await _sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, yammer.StatusCode);
    }

    private async Task<string> PipelineTokenAsync(string source)
    {
        var state = (await FederationTestKit.StateAsync(_sandbox))[source]!;
        switch (source)
        {
            case "github":
            {
                using var response = await FederationTestKit.GitHubTokenRequestAsync(_sandbox, state["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]!.GetValue<string>());
                response.EnsureSuccessStatusCode();
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.GetValue<string>();
            }

            case "azureDevOps":
            {
                using var response = await FederationTestKit.AzureDevOpsTokenRequestAsync(_sandbox,
                    state["SYSTEM_ACCESSTOKEN"]!.GetValue<string>(), state["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"]!.GetValue<string>());
                response.EnsureSuccessStatusCode();
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["oidcToken"]!.GetValue<string>();
            }

            default:
                return await File.ReadAllTextAsync(state["AZURE_FEDERATED_TOKEN_FILE"]!.GetValue<string>());
        }
    }

    private static string Description(JsonObject body) => body["error_description"]!.GetValue<string>();
}
