using System.Net;
using System.Text;
using System.Text.Json;
using M365.Core.Http;
using M365.Core.Tests.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>
/// An in-memory Entra ID v2.0 for real MSAL behind the sandbox router: device code, password (ROPC) and refresh-token
/// grants, each refresh token usable once. Nothing leaves the process.
/// </summary>
internal sealed class FakeEntraServer
{
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string AppId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    public const string UserOid = "99999999-8888-7777-6666-555555555555";
    public const string UserName = "adele@contoso.com";
    public static readonly SandboxDescriptor Sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());

    private readonly HashSet<string> _issuedRefreshTokens = new();
    private readonly object _gate = new();

    public FakeEntraServer() => Handler = new FakeHttpHandler(Respond);

    public FakeHttpHandler Handler { get; }

    /// <summary>When set, every refresh-token grant fails as a revoked sign-in (AADSTS700082).</summary>
    public bool RevokeRefreshTokens { get; set; }

    /// <summary>The access tokens' lifetime. MSAL refreshes a cached token that expires within 5 minutes.</summary>
    public int AccessTokenLifetimeSeconds { get; set; } = 3600;

    public IReadOnlyList<string> Grants =>
        Handler.Requests.Where(r => r.Body != null && r.Body.Contains("grant_type=", StringComparison.Ordinal))
            .Select(r => Form(r.Body)["grant_type"])
            .ToList();

    public int DeviceCodeRequests => Handler.Requests.Count(r => r.Request.RequestUri!.AbsolutePath.EndsWith("/devicecode", StringComparison.Ordinal));

    public HttpTransport CreateTransport() => HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, Handler), Sandbox);

    private HttpResponseMessage Respond(HttpRequestMessage request, string? body)
    {
        string path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/oauth2/v2.0/devicecode", StringComparison.Ordinal))
        {
            return FakeHttpHandler.Json("{\"user_code\":\"ABCD-EFGH\",\"device_code\":\"dc-1\",\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":1,\"message\":\"Go to https://microsoft.com/devicelogin and enter ABCD-EFGH\"}");
        }

        if (path.Contains("/userrealm/", StringComparison.Ordinal))
        {
            return FakeHttpHandler.Json("{\"ver\":\"1.0\",\"account_type\":\"Managed\",\"domain_name\":\"contoso.com\",\"cloud_instance_name\":\"microsoftonline.com\",\"cloud_audience_urn\":\"urn:federation:MicrosoftOnline\"}");
        }

        if (!path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        Dictionary<string, string> form = Form(body);
        if (form["grant_type"] == "refresh_token")
        {
            lock (_gate)
            {
                if (RevokeRefreshTokens || !_issuedRefreshTokens.Remove(form["refresh_token"]))
                {
                    return FakeHttpHandler.Json(
                        "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\",\"error_codes\":[700082],\"suberror\":\"bad_token\"}",
                        HttpStatusCode.BadRequest);
                }
            }
        }

        string scope = form["scope"].Split(' ').First(s => s.EndsWith("/.default", StringComparison.Ordinal));
        string resource = scope.Substring(0, scope.Length - "/.default".Length);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string accessToken = TestJwt.Create(new { aud = resource, tid = TenantId, oid = UserOid, idtyp = "user", scp = "AllSites.FullControl", upn = UserName, exp = now + AccessTokenLifetimeSeconds });
        string idToken = TestJwt.Create(new { aud = AppId, iss = $"https://login.microsoftonline.com/{TenantId}/v2.0", tid = TenantId, oid = UserOid, preferred_username = UserName, name = "Adele", exp = now + 3600, iat = now });
        string clientInfo = TestJwt.Encode(Encoding.UTF8.GetBytes($"{{\"uid\":\"{UserOid}\",\"utid\":\"{TenantId}\"}}"));
        string refreshToken = "rt-" + Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _issuedRefreshTokens.Add(refreshToken);
        }

        return FakeHttpHandler.Json(JsonSerializer.Serialize(new
        {
            token_type = "Bearer",
            scope,
            expires_in = AccessTokenLifetimeSeconds,
            ext_expires_in = AccessTokenLifetimeSeconds,
            access_token = accessToken,
            refresh_token = refreshToken,
            id_token = idToken,
            client_info = clientInfo,
        }));
    }

    private static Dictionary<string, string> Form(string? body) =>
        (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);
}
