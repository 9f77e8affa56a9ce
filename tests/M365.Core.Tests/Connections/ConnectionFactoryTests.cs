using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Tests.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Connections;

/// <summary>
/// Drives real MSAL through the session transport against an in-memory Entra ID behind the sandbox router,
/// proving that sign-in traffic goes through the injected HttpClient with real host names.
/// </summary>
public sealed class ConnectionFactoryTests
{
    private const string TenantId = "11111111-2222-3333-4444-555555555555";
    private const string AppId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string UserOid = "99999999-8888-7777-6666-555555555555";
    private static readonly SandboxDescriptor Sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());

    [Fact]
    public async Task DeviceCodeSignInOnceThenOtherResourcesSilentlyWithTheRefreshToken()
    {
        var server = new FakeHttpHandler(FakeEntra);
        using HttpTransport transport = HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, server), Sandbox);
        DeviceCodePrompt? shown = null;
        var options = new SignInOptions
        {
            AppId = AppId,
            DeviceCodeCallback = (prompt, ct) => { shown = prompt; return Task.CompletedTask; },
        };

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(options);
        AccessToken graph = await connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me"));
        int afterSignIn = server.Requests.Count;
        AccessToken sharePoint = await connection.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));

        Assert.Equal("ABCD-EFGH", shown!.UserCode);
        Assert.Equal("adele@contoso.com", connection.Identity);
        Assert.Equal(TenantId, connection.TenantId);
        Assert.Null(connection.Resources.SharePointTenant); // learned from Graph when a SharePoint name is first used, even in the sandbox
        Assert.Equal("https://graph.microsoft.com", graph.GetString("aud"));
        Assert.Equal("https://contoso.sharepoint.com", sharePoint.GetString("aud"));
        Assert.Equal(afterSignIn + 1, server.Requests.Count);

        var sent = server.Requests.ToList();
        Assert.All(sent, r => Assert.Equal("127.0.0.1", r.Request.RequestUri!.Host));
        Assert.All(sent, r => Assert.Equal("login.microsoftonline.com", r.Request.Headers.Host));
        Assert.All(sent, r => Assert.StartsWith("NONISV|M365|M365/", string.Join(" ", r.Request.Headers.GetValues("User-Agent"))));
        Assert.Contains("grant_type=refresh_token", sent.Last().Body);
        Assert.Contains(Uri.EscapeDataString("https://contoso.sharepoint.com/.default"), sent.Last().Body);
        Assert.DoesNotContain(sent, r => r.Request.RequestUri!.AbsolutePath.Contains("discovery"));
        Assert.DoesNotContain(graph.Token, connection.ToString());

        await connection.DisconnectAsync();
        Assert.Empty(connection.Tokens.Snapshot());
        int sentBefore = server.Requests.Count();
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me")));
        var forced = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me"), forceRefresh: true));
        Assert.Equal(AuthenticationErrorIds.ConnectionClosed, error.ErrorId);
        Assert.Equal(AuthenticationErrorIds.ConnectionClosed, forced.ErrorId);
        Assert.True(connection.IsClosed);
        Assert.Equal(sentBefore, server.Requests.Count());
    }

    [Fact]
    public async Task ClientSecretSignInIsAppOnlyAndRefusesYammerWithoutARequest()
    {
        var server = new FakeHttpHandler(FakeEntra);
        using HttpTransport transport = HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, server), Sandbox);
        var options = new SignInOptions { AuthenticationType = AuthenticationType.ClientSecret, AppId = AppId, Tenant = "contoso.onmicrosoft.com", ClientSecret = Secure("s3cr3t") };

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(options);
        int requests = server.Requests.Count;
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://www.yammer.com/api/v1/messages.json")));

        Assert.True(connection.IsAppOnly);
        Assert.Equal("contoso.onmicrosoft.com", connection.TenantDomain);
        Assert.Equal(AuthenticationErrorIds.YammerRequiresDelegatedAuth, error.ErrorId);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Contains("grant_type=client_credentials", server.Requests.Last().Body);
        Assert.DoesNotContain("s3cr3t", connection.ToString());
    }

    [Fact]
    public async Task EntraErrorsSurfaceWithStableIds()
    {
        var server = new FakeHttpHandler((request, body) => FakeHttpHandler.Json(
            "{\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: Application with identifier 'x' was not found in the directory.\",\"error_codes\":[700016]}",
            HttpStatusCode.BadRequest));
        using HttpTransport transport = HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, server), Sandbox);
        var options = new SignInOptions { AuthenticationType = AuthenticationType.ClientSecret, AppId = AppId, Tenant = TenantId, ClientSecret = Secure("s3cr3t") };

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(options));

        Assert.Equal(AuthenticationErrorIds.AppNotFound, error.ErrorId);
        Assert.Equal(700016, error.AadstsCode);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Fact]
    public async Task DeviceCodeWithoutACallbackFailsFastAndAppOnlyNeedsATenant()
    {
        using HttpTransport transport = HttpTransport.CreateWithHandler(new FakeHttpHandler());
        var factory = new ConnectionFactory(transport);

        var noCallback = await Assert.ThrowsAsync<M365AuthenticationException>(() => factory.ConnectAsync(new SignInOptions { AppId = AppId }));
        var noTenant = await Assert.ThrowsAsync<M365AuthenticationException>(() => factory.ConnectAsync(
            new SignInOptions { AuthenticationType = AuthenticationType.ClientSecret, AppId = AppId, ClientSecret = Secure("x") }));

        Assert.Equal(AuthenticationErrorIds.DeviceCodeCallbackMissing, noCallback.ErrorId);
        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, noTenant.ErrorId);
    }

    [Fact]
    public async Task AccessTokenConnectionServesOnlyItsResourceAndExpires()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        string jwt = TestJwt.Create(new { aud = "https://graph.microsoft.com", tid = TenantId, upn = "adele@contoso.com", scp = "User.Read", exp = time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds() });
        using HttpTransport transport = HttpTransport.CreateWithHandler(new FakeHttpHandler());

        Connection connection = await new ConnectionFactory(transport, time).ConnectAsync(new SignInOptions { AuthenticationType = AuthenticationType.AccessToken, AccessToken = jwt });
        AccessToken token = await connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me"));
        var mismatch = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://manage.office.com/api")));
        time.Advance(TimeSpan.FromMinutes(31));
        var expired = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me")));

        Assert.Equal(jwt, token.Token);
        Assert.Equal("adele@contoso.com", connection.Identity);
        Assert.Equal(AuthenticationErrorIds.AccessTokenResourceMismatch, mismatch.ErrorId);
        Assert.Equal(AuthenticationErrorIds.AccessTokenExpired, expired.ErrorId);
        Assert.DoesNotContain(jwt, connection.ToString());
    }

    private static HttpResponseMessage FakeEntra(HttpRequestMessage request, string? body)
    {
        string path = request.RequestUri!.AbsolutePath;
        Dictionary<string, string> form = ParseForm(body);
        if (path.EndsWith("/oauth2/v2.0/devicecode", StringComparison.Ordinal))
        {
            return FakeHttpHandler.Json("{\"user_code\":\"ABCD-EFGH\",\"device_code\":\"dc-1\",\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":1,\"message\":\"Go to https://microsoft.com/devicelogin and enter ABCD-EFGH\"}");
        }

        if (!path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        string scope = form["scope"].Split(' ').First(s => s.EndsWith("/.default", StringComparison.Ordinal));
        string resource = scope.Substring(0, scope.Length - "/.default".Length);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (form["grant_type"] == "client_credentials")
        {
            string appToken = TestJwt.Create(new { aud = resource, tid = TenantId, idtyp = "app", roles = new[] { "Sites.Read.All" }, app_displayname = "M365 tests", exp = now + 3600 });
            return FakeHttpHandler.Json(JsonSerializer.Serialize(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = appToken }));
        }

        string accessToken = TestJwt.Create(new { aud = resource, tid = TenantId, oid = UserOid, idtyp = "user", scp = "AllSites.FullControl", upn = "adele@contoso.com", exp = now + 3600 });
        string idToken = TestJwt.Create(new { aud = AppId, iss = $"https://login.microsoftonline.com/{TenantId}/v2.0", tid = TenantId, oid = UserOid, preferred_username = "adele@contoso.com", name = "Adele", exp = now + 3600, iat = now });
        string clientInfo = TestJwt.Encode(Encoding.UTF8.GetBytes($"{{\"uid\":\"{UserOid}\",\"utid\":\"{TenantId}\"}}"));
        return FakeHttpHandler.Json(JsonSerializer.Serialize(new
        {
            token_type = "Bearer",
            scope,
            expires_in = 3600,
            ext_expires_in = 3600,
            access_token = accessToken,
            refresh_token = "rt-" + Guid.NewGuid(),
            id_token = idToken,
            client_info = clientInfo,
        }));
    }

    private static Dictionary<string, string> ParseForm(string? body) =>
        (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);

    private static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (char c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
