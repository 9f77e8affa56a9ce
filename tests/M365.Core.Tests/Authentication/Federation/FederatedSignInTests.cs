using System.Net;
using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Clouds;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Tests.TestDoubles;
using static M365.Core.Tests.Authentication.Federation.FederatedTestKit;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>
/// Real MSAL through the session transport against an in-memory GitHub token service and Entra ID behind the sandbox
/// router: the assertion MSAL presents is the one the source handed out, to the cloud's own authority.
/// </summary>
public sealed class FederatedSignInTests
{
    private sealed class FakePipeline
    {
        public readonly List<string> Issued = new();
        public readonly List<string> Presented = new();
        public readonly List<string> AuthorityHosts = new();
        public TimeSpan OidcLifetime = TimeSpan.FromSeconds(60);
        public string? Refusal;

        public HttpResponseMessage Answer(HttpRequestMessage request, string? body)
        {
            if (request.Headers.Host == "pipelines.actions.githubusercontent.com")
            {
                if (request.Headers.Authorization?.Parameter != GitHubRequestToken)
                {
                    return Status(HttpStatusCode.Unauthorized);
                }

                string token = OidcToken(DateTimeOffset.UtcNow, OidcLifetime);
                lock (Issued)
                {
                    Issued.Add(token);
                }

                return FakeHttpHandler.Json(JsonSerializer.Serialize(new { count = 1, value = token }));
            }

            if (!request.RequestUri!.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            Dictionary<string, string> form = (body ?? string.Empty).Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
            lock (Issued)
            {
                Presented.Add(form["client_assertion"]);
                AuthorityHosts.Add(request.Headers.Host!);
                Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
                Assert.Equal("client_credentials", form["grant_type"]);
                Assert.Contains(form["client_assertion"], Issued);
            }

            if (Refusal != null)
            {
                return FakeHttpHandler.Json(JsonSerializer.Serialize(new { error = "invalid_client", error_description = Refusal, error_codes = new[] { int.Parse(Refusal.Substring(6, Refusal.IndexOf(':') - 6)) } }), HttpStatusCode.BadRequest);
            }

            string resource = form["scope"].Replace("/.default", string.Empty);
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string access = TestJwt.Create(new { aud = resource, tid = TenantId, idtyp = "app", app_displayname = "Contoso Pipelines", exp = now + 20 });
            return FakeHttpHandler.Json(JsonSerializer.Serialize(new { token_type = "Bearer", expires_in = 20, access_token = access }));
        }
    }

    private static SignInOptions GitHubSignIn(CloudEnvironment? cloud = null) => new()
    {
        AuthenticationType = AuthenticationType.FederatedIdentity,
        EnvironmentVariables = Env([.. GitHub, ("AZURE_CLIENT_ID", AppId), ("AZURE_TENANT_ID", TenantId)]),
        Cloud = cloud ?? CloudEnvironment.Public,
    };

    [Fact]
    public async Task GitHubActionsSignsInAppOnlyWithAFreshAssertionForEachTokenAndRefusesYammer()
    {
        var pipeline = new FakePipeline();
        using HttpTransport transport = Transport(new FakeHttpHandler(pipeline.Answer));

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(GitHubSignIn());
        await connection.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));
        await connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/servicePrincipals"), forceRefresh: true);

        Assert.Equal(AuthenticationType.FederatedIdentity, connection.AuthType);
        Assert.Equal(AppId, connection.AppId);
        Assert.Equal(AppIdSource.FederatedEnvironment, connection.AppIdSource);
        Assert.Equal("Contoso Pipelines", connection.Identity);
        Assert.Equal(3, pipeline.Presented.Count);
        Assert.Equal(pipeline.Issued, pipeline.Presented); // 60-second tokens never have more than a minute left: each request fetched one
        Assert.All(pipeline.AuthorityHosts, host => Assert.Equal("login.microsoftonline.com", host));
        var yammer = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://www.yammer.com/api/v1/messages.json")));
        Assert.Equal(AuthenticationErrorIds.YammerRequiresDelegatedAuth, yammer.ErrorId);
        Assert.Equal(3, pipeline.Presented.Count);
    }

    [Fact]
    public async Task AnAssertionWithMoreThanAMinuteLeftIsPresentedAgain()
    {
        var pipeline = new FakePipeline { OidcLifetime = TimeSpan.FromMinutes(10) };
        using HttpTransport transport = Transport(new FakeHttpHandler(pipeline.Answer));

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(GitHubSignIn());
        await connection.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));

        Assert.Single(pipeline.Issued);
        Assert.Equal(2, pipeline.Presented.Count);
    }

    [Fact]
    public async Task TheExchangeGoesToTheChosenCloudsAuthority()
    {
        var pipeline = new FakePipeline();
        using HttpTransport transport = Transport(new FakeHttpHandler(pipeline.Answer));

        await new ConnectionFactory(transport).ConnectAsync(GitHubSignIn(CloudEnvironment.USGov));

        Assert.Equal("login.microsoftonline.us", Assert.Single(pipeline.AuthorityHosts));
    }

    [Fact]
    public async Task ARefusalThroughMsalIsExplainedWithThePresentedClaims()
    {
        var pipeline = new FakePipeline { Refusal = $"AADSTS700213: No matching federated identity record found for presented assertion subject '{GitHubSubject}'. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-12-01 10:00:00Z" };
        using HttpTransport transport = Transport(new FakeHttpHandler(pipeline.Answer));

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(GitHubSignIn()));

        Assert.Equal(AuthenticationErrorIds.FederatedCredentialMismatch, error.ErrorId);
        Assert.Contains($"issuer '{GitHubIssuer}' and subject '{GitHubSubject}'", error.Message);
        Assert.DoesNotContain(pipeline.Issued[0], error.ToString());
    }

    [Fact]
    public async Task ASourceFailureSurfacesWithItsOwnIdAndNoEntraRequest()
    {
        var pipeline = new FakePipeline();
        using HttpTransport transport = Transport(new FakeHttpHandler(pipeline.Answer));
        SignInOptions options = GitHubSignIn();
        options.EnvironmentVariables = Env([.. GitHub.Select(v => v.Item1 == "ACTIONS_ID_TOKEN_REQUEST_TOKEN" ? (v.Item1, "wrong") : v), ("AZURE_CLIENT_ID", AppId), ("AZURE_TENANT_ID", TenantId)]);

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(options));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenRequestFailed, error.ErrorId);
        Assert.Contains("HTTP 401", error.Message);
        Assert.Empty(pipeline.Presented);
    }

    [Fact]
    public async Task WithoutATenantOutsideTheSandboxTheErrorNamesTheVariable()
    {
        using HttpTransport transport = HttpTransport.CreateWithHandler(new FakeHttpHandler());
        SignInOptions options = GitHubSignIn();
        options.EnvironmentVariables = Env([.. GitHub, ("AZURE_CLIENT_ID", AppId)]);

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(options));

        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, error.ErrorId);
        Assert.Contains("AZURE_TENANT_ID", error.RecommendedAction);
    }
}
