using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Tests;

/// <summary>Each AADSTS error the module must explain, provoked on the wire.</summary>
public sealed class IdentityErrorTests : IClassFixture<IdentityErrorTests.Fixture>
{
    private readonly TemporarySandbox _sandbox;

    public IdentityErrorTests(Fixture fixture) => _sandbox = fixture.Sandbox!;

    private SandboxSeed Seed => _sandbox.Host.Seed;

    [Fact]
    public async Task UnknownClientIdIs700016()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "device_code"), ("client_id", Guid.NewGuid().ToString()), ("device_code", "x"));
        await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client", 700016);
    }

    [Fact]
    public async Task DeviceCodeAndPasswordForNonPublicClientAre7000218()
    {
        var web = SandboxSeed.WebAppId.ToString();
        var start = await _sandbox.PostFormAsync("https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode", ("client_id", web), ("scope", "User.Read"));
        var deviceCode = (await TemporarySandbox.JsonAsync(start)).GetProperty("device_code").GetString()!;
        var poll = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", TokenEndpoint.DeviceCodeGrantUrn), ("client_id", web), ("device_code", deviceCode));
        await AssertAadErrorAsync(poll, HttpStatusCode.Unauthorized, "invalid_client", 7000218);

        var ropc = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", web), ("username", Seed.Admin.UserPrincipalName), ("password", SandboxSeed.AdminPassword), ("scope", "User.Read"));
        await AssertAadErrorAsync(ropc, HttpStatusCode.Unauthorized, "invalid_client", 7000218);
    }

    [Fact]
    public async Task ResourceNotConsentedIs65001()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", SandboxSeed.LimitedAppId.ToString()),
            ("username", Seed.Admin.UserPrincipalName), ("password", SandboxSeed.AdminPassword), ("scope", "https://contoso.sharepoint.com/.default openid profile offline_access"));
        var body = await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", 65001);
        Assert.Equal("consent_required", body["suberror"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithdrawnConsentIs65001OnTheNextRefresh()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var tokens = await PasswordAsync(sandbox, SandboxSeed.LimitedAppId, "https://graph.microsoft.com/.default offline_access");
        sandbox.Host.WithdrawConsent(SandboxSeed.LimitedAppId, "graph");

        var refresh = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "refresh_token"), ("client_id", SandboxSeed.LimitedAppId.ToString()),
            ("refresh_token", tokens["refresh_token"]!.GetValue<string>()), ("scope", "https://graph.microsoft.com/.default"));
        await AssertAadErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant", 65001);
    }

    [Fact]
    public async Task BadSecretIs7000215()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "client_credentials"), ("client_id", SandboxSeed.AutomationAppId.ToString()),
            ("client_secret", "wrong"), ("scope", "https://graph.microsoft.com/.default"));
        await AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", 7000215);
    }

    [Fact]
    public async Task AssertionSignedByAnUnregisteredKeyOrWithWrongAudienceIs700027()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=stranger", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var stranger = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var unregistered = await AssertionRequestAsync(Assertion(stranger, _sandbox.Token));
        await AssertAadErrorAsync(unregistered, HttpStatusCode.Unauthorized, "invalid_client", 700027);

        using var registered = X509CertificateLoader.LoadPkcs12FromFile(Seed.AutomationApp.CertificatePath!, null);
        var wrongAudience = await AssertionRequestAsync(Assertion(registered, "https://login.microsoftonline.com/other/oauth2/v2.0/token"));
        await AssertAadErrorAsync(wrongAudience, HttpStatusCode.Unauthorized, "invalid_client", 700027);

        var expired = await AssertionRequestAsync(Assertion(registered, _sandbox.Token, DateTimeOffset.UtcNow.AddHours(-2)));
        await AssertAadErrorAsync(expired, HttpStatusCode.Unauthorized, "invalid_client", 700027);

        var valid = await AssertionRequestAsync(Assertion(registered, _sandbox.Token));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task UnknownTenantIs90002AndKnownFormsAreAccepted()
    {
        var unknown = await _sandbox.PostFormAsync("https://login.microsoftonline.com/fabrikam.onmicrosoft.com/oauth2/v2.0/token", ("grant_type", "client_credentials"));
        await AssertAadErrorAsync(unknown, HttpStatusCode.BadRequest, "invalid_request", 90002);
        foreach (var tenant in new[] { "common", "organizations", _sandbox.Host.TenantId.ToString(), "contoso.onmicrosoft.com" })
        {
            var metadata = await _sandbox.Http.GetAsync($"https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration");
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        }
    }

    [Fact]
    public async Task PasswordForTheMfaUserIs50076()
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", SandboxSeed.PnpManagementShellAppId.ToString()),
            ("username", Seed.MfaUser.UserPrincipalName), ("password", SandboxSeed.MfaUserPassword), ("scope", "https://graph.microsoft.com/.default"));
        await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", 50076);
    }

    [Theory]
    [InlineData("mfa.enroll", 50079)]
    [InlineData("blocked.user", 53003)]
    public async Task PasswordForUsersUnderConditionalAccessPolicies(string user, int code)
    {
        var response = await _sandbox.PostFormAsync(_sandbox.Token, ("grant_type", "password"), ("client_id", SandboxSeed.PnpManagementShellAppId.ToString()),
            ("username", user + "@" + Seed.TenantDomain), ("password", SandboxSeed.MfaUserPassword), ("scope", "https://graph.microsoft.com/.default"));
        await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", code);
    }

    [Fact]
    public async Task ExpiredRefreshTokenIs700082()
    {
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.RefreshTokenLifetime = TimeSpan.FromSeconds(1));
        var tokens = await PasswordAsync(sandbox, SandboxSeed.PnpManagementShellAppId, "https://graph.microsoft.com/.default offline_access");
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var refresh = await RefreshAsync(sandbox, tokens["refresh_token"]!.GetValue<string>());
        await AssertAadErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant", 700082);
    }

    [Fact]
    public async Task RevokedRefreshTokenIs50173AndRotationIssuesANewOne()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var tokens = await PasswordAsync(sandbox, SandboxSeed.PnpManagementShellAppId, "https://graph.microsoft.com/.default offline_access");
        var first = tokens["refresh_token"]!.GetValue<string>();
        var refreshed = await TemporarySandbox.JsonAsync(await RefreshAsync(sandbox, first));
        var second = refreshed.GetProperty("refresh_token").GetString();
        Assert.NotEqual(first, second);

        sandbox.Host.RevokeRefreshTokens(sandbox.Host.Seed.Admin.UserPrincipalName);
        await AssertAadErrorAsync(await RefreshAsync(sandbox, second!), HttpStatusCode.BadRequest, "invalid_grant", 50173);
    }

    private static async Task<JsonObject> PasswordAsync(TemporarySandbox sandbox, Guid appId, string scope)
    {
        var response = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "password"), ("client_id", appId.ToString()),
            ("username", sandbox.Host.Seed.Admin.UserPrincipalName), ("password", SandboxSeed.AdminPassword), ("scope", scope));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static Task<HttpResponseMessage> RefreshAsync(TemporarySandbox sandbox, string refreshToken) =>
        sandbox.PostFormAsync(sandbox.Token, ("grant_type", "refresh_token"), ("client_id", SandboxSeed.PnpManagementShellAppId.ToString()),
            ("refresh_token", refreshToken), ("scope", "https://contoso.sharepoint.com/.default openid profile offline_access"));

    private Task<HttpResponseMessage> AssertionRequestAsync(string assertion) => _sandbox.PostFormAsync(_sandbox.Token,
        ("grant_type", "client_credentials"), ("client_id", SandboxSeed.AutomationAppId.ToString()), ("scope", "https://graph.microsoft.com/.default"),
        ("client_assertion_type", TokenEndpoint.JwtBearerAssertionType), ("client_assertion", assertion));

    private static string Assertion(X509Certificate2 certificate, string audience, DateTimeOffset? issued = null)
    {
        var now = issued ?? DateTimeOffset.UtcNow;
        using var key = certificate.GetRSAPrivateKey()!;
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t#S256"] = Base64Url.Encode(SHA256.HashData(certificate.RawData)) };
        var payload = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = SandboxSeed.AutomationAppId.ToString(),
            ["sub"] = SandboxSeed.AutomationAppId.ToString(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        return JsonWebToken.Sign(header, payload, key);
    }

    internal static async Task<JsonObject> AssertAadErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, int code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.StartsWith($"AADSTS{code}: ", body["error_description"]!.GetValue<string>());
        Assert.Equal(code, body["error_codes"]![0]!.GetValue<int>());
        Assert.True(Guid.TryParse(body["trace_id"]!.GetValue<string>(), out _));
        Assert.True(Guid.TryParse(body["correlation_id"]!.GetValue<string>(), out _));
        Assert.NotNull(body["timestamp"]);
        return body;
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public TemporarySandbox? Sandbox { get; private set; }

        public async Task InitializeAsync() => Sandbox = await TemporarySandbox.StartAsync();

        public async Task DisposeAsync() => await Sandbox!.DisposeAsync();
    }
}
