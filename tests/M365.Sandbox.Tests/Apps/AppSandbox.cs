using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;
using Microsoft.Extensions.Time.Testing;

namespace M365.Sandbox.Tests.Apps;

/// <summary>
/// A fresh sandbox on a fake clock for one app-registration test, with the raw HTTP calls a registration makes:
/// tokens (ROPC, device code, certificate assertions) and Graph requests with Graph's error shape checked.
/// </summary>
internal sealed class AppSandbox : IAsyncDisposable
{
    public const string Graph = "https://graph.microsoft.com";
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string SharePointAppId = "00000003-0000-0ff1-ce00-000000000000";

    private AppSandbox(TemporarySandbox sandbox, FakeTimeProvider clock)
    {
        Sandbox = sandbox;
        Clock = clock;
    }

    public TemporarySandbox Sandbox { get; }

    public FakeTimeProvider Clock { get; }

    public SandboxSeed Seed => Sandbox.Host.Seed;

    public static async Task<AppSandbox> StartAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return new AppSandbox(await TemporarySandbox.StartAsync(o => o.TimeProvider = clock), clock);
    }

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();

    /// <summary>ROPC as a user with Graph Command Line Tools (dynamic consent); returns the raw answer.</summary>
    public Task<HttpResponseMessage> PasswordAsync(string clientId, SeededUser user, string scope) => Sandbox.PostFormAsync(Sandbox.Token,
        ("grant_type", "password"), ("client_id", clientId), ("username", user.UserPrincipalName), ("password", user.Password!), ("scope", scope));

    public Task<string> UserTokenAsync(SeededUser user, string scope = "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All") =>
        TokenAsync(SandboxSeed.GraphCommandLineToolsAppId, user, scope);

    /// <summary>A Graph token of the admin through the Limited app: User.Read only, no directory permission.</summary>
    public Task<string> UserReadTokenAsync() => TokenAsync(SandboxSeed.LimitedAppId, Seed.Admin, "User.Read");

    public async Task<string> TokenAsync(Guid clientId, SeededUser user, string scope)
    {
        using var response = await PasswordAsync(clientId.ToString(), user, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await TemporarySandbox.JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    public Task<string> AdminTokenAsync() => UserTokenAsync(Seed.Admin);

    /// <summary>A device-code sign-in with an app: the start answer, or the token answer after the auto-approved polls.</summary>
    public async Task<HttpResponseMessage> DeviceCodeAsync(string clientId, string scope)
    {
        var start = await Sandbox.PostFormAsync($"https://login.microsoftonline.com/{Sandbox.Host.TenantId}/oauth2/v2.0/devicecode", ("client_id", clientId), ("scope", scope));
        if (start.StatusCode != HttpStatusCode.OK)
        {
            return start;
        }

        var deviceCode = (await TemporarySandbox.JsonAsync(start)).GetProperty("device_code").GetString()!;
        HttpResponseMessage poll;
        var polls = 0;
        do
        {
            poll = await Sandbox.PostFormAsync(Sandbox.Token, ("grant_type", TokenEndpoint.DeviceCodeGrantUrn), ("client_id", clientId), ("device_code", deviceCode));
        }
        while (poll.StatusCode == HttpStatusCode.BadRequest && (await poll.Content.ReadAsStringAsync()).Contains("authorization_pending") && ++polls < 3);

        return poll;
    }

    public async Task<JsonElement> DeviceCodeClaimsAsync(string clientId, string scope)
    {
        using var response = await DeviceCodeAsync(clientId, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TemporarySandbox.Claims((await TemporarySandbox.JsonAsync(response)).GetProperty("access_token").GetString()!);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, url.StartsWith("https://", StringComparison.Ordinal) ? url : Graph + url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body is string text ? text : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return Sandbox.Http.SendAsync(request);
    }

    /// <summary>Sends and expects the status; returns the JSON body (or default for 204).</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, HttpMethod method, string url, string token, object? body = null)
    {
        using var response = await SendAsync(method, url, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {url}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Expects Graph's error body with the code (and, when given, the exact message).</summary>
    public async Task ExpectErrorAsync(HttpStatusCode status, string code, HttpMethod method, string url, string token, object? body = null, string? message = null)
    {
        var error = (await ExpectAsync(status, method, url, token, body)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (message is not null)
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }

        Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
    }

    public async Task<JsonElement> CreateAppAsync(string token, object body) => await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1.0/applications", token, body);

    public async Task<string> CreateServicePrincipalAsync(string token, string appId) =>
        (await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1.0/servicePrincipals", token, new { appId })).GetProperty("id").GetString()!;

    /// <summary>The object id of a resource's service principal and the id of one of its scopes or roles, read from the tenant.</summary>
    public async Task<(string Id, JsonElement Sp)> ResourceAsync(string token, string appId)
    {
        var list = await ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1.0/servicePrincipals?$filter=appId eq '{appId}'", token);
        var sp = Assert.Single(list.GetProperty("value").EnumerateArray());
        return (sp.GetProperty("id").GetString()!, sp);
    }

    public static string RoleId(JsonElement sp, string value) =>
        sp.GetProperty("appRoles").EnumerateArray().First(r => r.GetProperty("value").GetString() == value).GetProperty("id").GetString()!;

    public static string ScopeId(JsonElement sp, string value) =>
        sp.GetProperty("oauth2PermissionScopes").EnumerateArray().First(r => r.GetProperty("value").GetString() == value).GetProperty("id").GetString()!;

    public Task<JsonElement> GrantAsync(string token, string clientSpId, string resourceSpId, string scope) => ExpectAsync(HttpStatusCode.Created, HttpMethod.Post,
        "/v1.0/oauth2PermissionGrants", token, new { clientId = clientSpId, consentType = "AllPrincipals", principalId = (string?)null, resourceId = resourceSpId, scope });

    public async Task SetReplicationAsync(double seconds)
    {
        using var response = await Sandbox.Http.PutAsync(Sandbox.Host.ControlUrl + "/apps/replication",
            new StringContent(JsonSerializer.Serialize(new { seconds }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A new self-signed certificate with its private key, as Register-M365App -AppOnly makes one.</summary>
    public X509Certificate2 NewCertificate(string name = "CN=M365 test app")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = Clock.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    public static object KeyCredential(X509Certificate2 certificate) => new
    {
        type = "AsymmetricX509Cert",
        usage = "Verify",
        key = Convert.ToBase64String(certificate.Export(X509ContentType.Cert)),
        displayName = certificate.Subject,
    };

    /// <summary>client_credentials with a certificate assertion for the app.</summary>
    public Task<HttpResponseMessage> AppOnlyAsync(string appId, X509Certificate2 certificate, string scope = Graph + "/.default")
    {
        var now = Clock.GetUtcNow();
        using var key = certificate.GetRSAPrivateKey()!;
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t#S256"] = Base64Url.Encode(SHA256.HashData(certificate.RawData)) };
        var payload = new JsonObject
        {
            ["aud"] = Sandbox.Token,
            ["iss"] = appId,
            ["sub"] = appId,
            ["jti"] = Guid.NewGuid().ToString(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        return Sandbox.PostFormAsync(Sandbox.Token, ("grant_type", "client_credentials"), ("client_id", appId), ("scope", scope),
            ("client_assertion_type", TokenEndpoint.JwtBearerAssertionType), ("client_assertion", JsonWebToken.Sign(header, payload, key)));
    }

    /// <summary>Expects an AADSTS error of the token endpoint.</summary>
    public static async Task ExpectAadAsync(HttpResponseMessage response, int code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Contains($"\"AADSTS{code}: ", StringComparison.Ordinal), $"expected AADSTS{code}, got {(int)response.StatusCode} {text}");
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("error_codes")[0].GetInt32());
    }

    public static string[] Scopes(JsonElement claims) => claims.GetProperty("scp").GetString()!.Split(' ').Order(StringComparer.Ordinal).ToArray();

    public static string[] Roles(JsonElement claims) =>
        claims.TryGetProperty("roles", out var roles) ? roles.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray() : Array.Empty<string>();
}
