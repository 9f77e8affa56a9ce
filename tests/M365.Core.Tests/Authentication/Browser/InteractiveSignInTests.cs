using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Authentication.Browser;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Tests.Http;
using M365.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Authentication.Browser;

/// <summary>
/// Real MSAL AcquireTokenInteractive with its real loopback listener, against an in-memory Entra ID behind the sandbox
/// router; the "browser" answers the page by posting the form_post to the listener, as the sandbox's page would.
/// </summary>
public sealed class InteractiveSignInTests
{
    private const string TenantId = "11111111-2222-3333-4444-555555555555";
    private const string AppId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string UserOid = "99999999-8888-7777-6666-555555555555";
    private static readonly SandboxDescriptor Sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());
    private static readonly BrowserEnvironment Desktop = BrowserEnvironmentTests.Pinned("Linux", "DISPLAY=:0", programs: "xdg-open");
    private static readonly BrowserEnvironment Headless = BrowserEnvironmentTests.Pinned("Linux", "SSH_CONNECTION=10.0.0.1 5 10.0.0.2 22");

    [Fact]
    public async Task SignsInThroughTheBrowserThenOtherResourcesSilently()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(url => new[] { ("code", "auth-code-1"), ("state", Query(url, "state")), ("client_info", ClientInfo()), ("session_state", "s1") });
        using HttpTransport transport = entra.Transport();

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop, loginHint: "adele@contoso.com"));
        AccessToken sharePoint = await connection.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));

        Uri opened = Assert.Single(browser.Opened);
        Assert.Equal("127.0.0.1", opened.Host); // sent to the sandbox's loopback origin, not login.microsoftonline.com
        Assert.Equal(5443, opened.Port);
        Assert.Equal("adele@contoso.com", Query(opened, "login_hint"));
        Assert.Equal("S256", Query(opened, "code_challenge_method"));
        Assert.StartsWith("http://localhost:", Query(opened, "redirect_uri"));
        Assert.Equal("adele@contoso.com", connection.Identity);
        Assert.Equal(AuthenticationType.Interactive, connection.AuthType);
        Assert.Equal("https://contoso.sharepoint.com", sharePoint.GetString("aud"));
        var redeem = entra.Forms.Single(f => f["grant_type"] == "authorization_code");
        Assert.Equal("auth-code-1", redeem["code"]);
        Assert.Equal(Query(opened, "redirect_uri"), redeem["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(redeem["code_verifier"]));
        Assert.Contains(entra.Forms, f => f["grant_type"] == "refresh_token");
        Assert.Equal(1, entra.AuthorizeGets); // the page check, through the session transport to the login host
        Assert.True(PortIsFree(opened));
    }

    [Fact]
    public async Task ABrowserThatFailsAfterTheSignInEndedPrintsNothing()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(url => new[] { ("code", "auth-code-3"), ("state", Query(url, "state")), ("client_info", ClientInfo()) });
        int printed = 0;
        var options = Options(browser, Desktop);
        options.SignInUrlCallback = (url, reason, ct) => { Interlocked.Increment(ref printed); return Task.CompletedTask; };
        using HttpTransport transport = entra.Transport();

        await new ConnectionFactory(transport).ConnectAsync(options);
        browser.FailLater("'driver' exited with code 1");

        Assert.Equal(0, printed);
    }

    [Fact]
    public async Task CancelOnThePageIsBrowserSignInCancelled()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(url => new[] { ("error", "access_denied"), ("error_subcode", "cancel"), ("error_description", "The user has cancelled the sign-in"), ("state", Query(url, "state")) });
        using HttpTransport transport = entra.Transport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop)));

        Assert.Equal(AuthenticationErrorIds.BrowserSignInCancelled, error.ErrorId);
        Assert.Equal("The browser sign-in was cancelled or declined.", error.Message);
        Assert.True(PortIsFree(browser.Opened.Single()));
    }

    [Fact]
    public async Task DeclinedConsentIsBrowserSignInCancelled()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(url => new[] { ("error", "access_denied"), ("error_description", "AADSTS65004: User declined to consent to access the app."), ("state", Query(url, "state")) });
        using HttpTransport transport = entra.Transport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop)));

        Assert.Equal(AuthenticationErrorIds.BrowserSignInCancelled, error.ErrorId);
        Assert.Contains("AADSTS65004", error.Message);
    }

    [Fact]
    public async Task ConsentRequiredComesBackAsConsentRequired()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(url => new[] { ("error", "consent_required"), ("error_description", "AADSTS65001: The user or administrator has not consented to use the application with ID 'x'."), ("state", Query(url, "state")) });
        using HttpTransport transport = entra.Transport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop)));

        Assert.Equal(AuthenticationErrorIds.ConsentRequired, error.ErrorId);
        Assert.Equal(65001, error.AadstsCode);
    }

    [Fact]
    public async Task AnUnregisteredRedirectUriFailsBeforeAnyBrowserOpensAndFreesThePort()
    {
        var entra = new FakeEntra { AuthorizePage = (HttpStatusCode.BadRequest, "<html><body>AADSTS50011: The redirect URI 'http://localhost:4711/' specified in the request does not match the redirect URIs configured for the application 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'.</body></html>") };
        var browser = new FakeBrowser(_ => throw new InvalidOperationException("no browser should open"));
        using HttpTransport transport = entra.Transport();
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop)));

        Assert.Equal(AuthenticationErrorIds.RedirectUriNotRegistered, error.ErrorId);
        Assert.Equal(50011, error.AadstsCode);
        Assert.Contains("http://localhost", error.RecommendedAction);
        Assert.Empty(browser.Opened);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
        Assert.True(PortIsFree(new Uri("https://x/?redirect_uri=" + Uri.EscapeDataString(entra.LastRedirectUri!))));
    }

    [Fact]
    public async Task WithoutABrowserItPrintsTheUrlListensThenFallsBackToDeviceCodeOnTheClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var entra = new FakeEntra();
        var shownUrl = new TaskCompletionSource<(Uri Url, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deviceCode = new TaskCompletionSource<DeviceCodePrompt>(TaskCreationOptions.RunContinuationsAsynchronously);
        var warnings = new ConcurrentQueue<string>();
        var options = Options(new FakeBrowser(_ => throw new InvalidOperationException("no browser should open")), Headless);
        options.SignInUrlCallback = (url, reason, ct) => { shownUrl.TrySetResult((url, reason)); return Task.CompletedTask; };
        options.DeviceCodeCallback = (prompt, ct) => { deviceCode.TrySetResult(prompt); return Task.CompletedTask; };
        options.WarningCallback = warnings.Enqueue;
        using HttpTransport transport = entra.Transport();

        Task<Connection> connecting = new ConnectionFactory(transport, time).ConnectAsync(options);
        var (url, reason) = await shownUrl.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        bool earlyFallback = deviceCode.Task.IsCompleted || entra.DeviceCodeRequests > 0;
        time.Advance(TimeSpan.FromSeconds(1));
        DeviceCodePrompt prompt = await deviceCode.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Connection connection = await connecting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(earlyFallback);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.Contains("SSH", reason);
        Assert.Equal("ABCD-EFGH", prompt.UserCode);
        Assert.Contains(warnings, w => w.Contains("SSH") && w.Contains("device code") && w.Contains("30 seconds"));
        Assert.Equal("adele@contoso.com", connection.Identity);
        Assert.True(PortIsFree(url));
    }

    [Fact]
    public async Task TheUrlPrintedWhereNoBrowserOpensStillSignsInWhenSomeoneOpensIt()
    {
        var entra = new FakeEntra();
        var options = Options(new FakeBrowser(_ => throw new InvalidOperationException("no browser should open")), Headless);
        var person = new FakeBrowser(url => new[] { ("code", "auth-code-2"), ("state", Query(url, "state")), ("client_info", ClientInfo()) });
        options.SignInUrlCallback = (url, reason, ct) => { person.Launch(new BrowserChoice(BrowserChoiceKind.SystemLauncher), url, _ => { }, ct); return Task.CompletedTask; };
        options.DeviceCodeCallback = (prompt, ct) => throw new InvalidOperationException("no fallback expected");
        using HttpTransport transport = entra.Transport();

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(options);

        Assert.Equal("adele@contoso.com", connection.Identity);
        Assert.Equal(0, entra.DeviceCodeRequests);
    }

    [Fact]
    public async Task TimeoutStopsTheListenerAndFreesItsPort()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var entra = new FakeEntra();
        var browser = new FakeBrowser(null); // opens the page; nobody signs in
        var options = Options(browser, Desktop);
        options.Timeout = TimeSpan.FromMinutes(2);
        using HttpTransport transport = entra.Transport();

        Task<Connection> connecting = new ConnectionFactory(transport, time).ConnectAsync(options);
        Uri opened = await browser.FirstOpened.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitUntil(() => !PortIsFree(opened));
        time.Advance(TimeSpan.FromMinutes(2));
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(AuthenticationErrorIds.SignInTimedOut, error.ErrorId);
        Assert.True(PortIsFree(opened));
    }

    [Fact]
    public async Task CtrlCStopsTheListenerAndFreesItsPort()
    {
        var entra = new FakeEntra();
        var browser = new FakeBrowser(null);
        using HttpTransport transport = entra.Transport();
        using var ctrlC = new CancellationTokenSource();

        Task<Connection> connecting = new ConnectionFactory(transport).ConnectAsync(Options(browser, Desktop), ctrlC.Token);
        Uri opened = await browser.FirstOpened.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitUntil(() => !PortIsFree(opened));
        ctrlC.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(PortIsFree(opened));
    }

    private static SignInOptions Options(IBrowserLauncher browser, BrowserEnvironment environment, string? loginHint = null) => new()
    {
        AuthenticationType = AuthenticationType.Interactive,
        AppId = AppId,
        LoginHint = loginHint,
        BrowserLauncher = browser,
        BrowserEnvironment = environment,
    };

    internal static string Query(Uri url, string name) =>
        url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).FirstOrDefault() ?? string.Empty;

    private static string ClientInfo() => TestJwt.Encode(Encoding.UTF8.GetBytes($"{{\"uid\":\"{UserOid}\",\"utid\":\"{TenantId}\"}}"));

    /// <summary>True when nothing listens on the redirect URI's port: an HttpListener can take the same prefix.</summary>
    internal static bool PortIsFree(Uri authorizeUrl)
    {
        var redirect = new Uri(Query(authorizeUrl, "redirect_uri"));
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://localhost:{redirect.Port}/");
        try
        {
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (HttpListenerException)
        {
            return false;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }

    /// <summary>A browser that answers the page: it posts the given form to the redirect URI once MSAL listens.</summary>
    private sealed class FakeBrowser(Func<Uri, (string Name, string Value)[]>? answer) : IBrowserLauncher
    {
        private readonly TaskCompletionSource<Uri> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<Uri> Opened { get; } = new();

        public Task<Uri> FirstOpened => _first.Task;

        private Action<string>? _failed;

        /// <summary>Reports a launcher failure now, as a browser process exiting with an error would.</summary>
        public void FailLater(string reason) => _failed?.Invoke(reason);

        public void Launch(BrowserChoice choice, Uri url, Action<string> failed, CancellationToken cancellationToken)
        {
            _failed = failed;
            if (answer is null)
            {
                Opened.Enqueue(url);
                _first.TrySetResult(url);
                return;
            }

            var form = answer(url);
            Opened.Enqueue(url);
            _first.TrySetResult(url);
            _ = PostAsync(new Uri(Query(url, "redirect_uri")), form);
        }

        private static async Task PostAsync(Uri redirect, (string Name, string Value)[] form)
        {
            using var client = new HttpClient();
            for (int attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
                    using HttpResponseMessage response = await client.PostAsync(redirect, content);
                    return;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50); // MSAL starts listening just after the browser opens.
                }
            }
        }
    }

    /// <summary>Entra ID's authorize page (for the check), device code and token endpoints, in memory.</summary>
    private sealed class FakeEntra
    {
        private int _authorizeGets;
        private int _deviceCodeRequests;

        public (HttpStatusCode Status, string Html) AuthorizePage { get; init; } = (HttpStatusCode.OK, "<html><input id=\"account\"></html>");

        public ConcurrentQueue<Dictionary<string, string>> Forms { get; } = new();

        public int AuthorizeGets => _authorizeGets;

        public int DeviceCodeRequests => _deviceCodeRequests;

        public string? LastRedirectUri { get; private set; }

        public HttpTransport Transport() =>
            HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, new FakeHttpHandler(Respond)), Sandbox);

        private HttpResponseMessage Respond(HttpRequestMessage request, string? body)
        {
            string path = request.RequestUri!.AbsolutePath;
            if (path.EndsWith("/oauth2/v2.0/authorize", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _authorizeGets);
                LastRedirectUri = Query(request.RequestUri, "redirect_uri");
                return new HttpResponseMessage(AuthorizePage.Status) { Content = new StringContent(AuthorizePage.Html, Encoding.UTF8, "text/html") };
            }

            if (path.EndsWith("/oauth2/v2.0/devicecode", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _deviceCodeRequests);
                return FakeHttpHandler.Json("{\"user_code\":\"ABCD-EFGH\",\"device_code\":\"dc-1\",\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":1,\"message\":\"Go to https://microsoft.com/devicelogin and enter ABCD-EFGH\"}");
            }

            if (!path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            Dictionary<string, string> form = (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);
            Forms.Enqueue(form);
            string scope = form["scope"].Split(' ').First(s => s.EndsWith("/.default", StringComparison.Ordinal));
            string resource = scope.Substring(0, scope.Length - "/.default".Length);
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string accessToken = TestJwt.Create(new { aud = resource, tid = TenantId, oid = UserOid, idtyp = "user", scp = "AllSites.FullControl", upn = "adele@contoso.com", exp = now + 3600 });
            string idToken = TestJwt.Create(new { aud = AppId, iss = $"https://login.microsoftonline.com/{TenantId}/v2.0", tid = TenantId, oid = UserOid, preferred_username = "adele@contoso.com", name = "Adele", exp = now + 3600, iat = now });
            return FakeHttpHandler.Json(JsonSerializer.Serialize(new
            {
                token_type = "Bearer",
                scope,
                expires_in = 3600,
                ext_expires_in = 3600,
                access_token = accessToken,
                refresh_token = "rt-" + Guid.NewGuid(),
                id_token = idToken,
                client_info = ClientInfo(),
            }));
        }
    }
}
