using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>
/// Connect-M365 -Interactive in the hosted engine against the in-process sandbox, which approves the authorize request
/// at once: $env:BROWSER is tests/node/answer-form-post.mjs, which posts the page's form_post to MSAL's loopback listener
/// without a browser. (The real-Chromium run is tests/Browser.Tests.ps1.)
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ConnectInteractiveTests : IDisposable
{
    private static readonly string[] Variables = { "BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY", "SUDO_USER", "M365_BROWSER_WAIT", "M365_TOKEN_CACHE_DIRECTORY" };
    private readonly SandboxFixture _fixture;
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "m365-module-cache", Guid.NewGuid().ToString("N"));

    public ConnectInteractiveTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        Environment.SetEnvironmentVariable("BROWSER", "node " + Path.Combine(RepoPaths.RepoRoot, "tests", "node", "answer-form-post.mjs"));
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public void SignsInThroughTheBrowserAndServesEveryResourceFromThatSignIn()
    {
        using var session = new PowerShellSession();
        var result = session.RunOk($"Connect-M365 -Sandbox -Interactive -LoginHint {_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName} -Name browser -PassThru -Verbose");
        var connection = result.Output.Single();
        Assert.Contains(result.Verbose, v => v.StartsWith("Opening the sign-in page at " + _fixture.Sandbox.Url + "/", StringComparison.Ordinal) && v.Contains("answer-form-post.mjs", StringComparison.Ordinal));

        Assert.Equal("Interactive", connection.Str("AuthType"));
        Assert.Equal(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName, connection.Str("Identity"), ignoreCase: true);
        Assert.Equal(SandboxSeed.PnpManagementShellAppId.ToString(), connection.Str("AppId"), ignoreCase: true);
        var tokens = session.RunOk("Get-M365AccessToken -Resource Graph, SharePoint").Output;
        Assert.Equal(new[] { "https://graph.microsoft.com", "https://contoso.sharepoint.com" }, tokens.Select(t => t.Str("Audience")));

        var log = _fixture.Sandbox.GetRequestLog();
        var authorize = log.Where(e => e.Path.EndsWith("/oauth2/v2.0/authorize", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, authorize.Count); // the module's page check, then the "browser"
        Assert.All(authorize, e => Assert.Contains("login_hint=", e.Query, StringComparison.Ordinal));
        Assert.Single(log, e => e.IsTokenRequest && e.Status == 200 && e.GrantType == "authorization_code");
        Assert.Single(log, e => e.IsTokenRequest && e.GrantType == "refresh_token");
        Assert.DoesNotContain(log, e => e.Path.EndsWith("/devicecode", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutADisplayItPrintsTheUrlThenFallsBackToADeviceCodeWithAWarning()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows always has its shell's launcher.
        }

        foreach (var name in new[] { "BROWSER", "DISPLAY", "WAYLAND_DISPLAY" })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22"); // and an SSH session, so macOS opens nothing either

        Environment.SetEnvironmentVariable("M365_BROWSER_WAIT", "1");
        using var session = new PowerShellSession();
        var result = session.RunOk("Connect-M365 -Sandbox -Interactive -Name fallback -PassThru");

        Assert.Contains("/oauth2/v2.0/authorize?", result.HostText, StringComparison.Ordinal);
        Assert.Contains(_fixture.Sandbox.Url + "/", result.HostText, StringComparison.Ordinal);
        Assert.Contains("devicelogin", result.HostText, StringComparison.OrdinalIgnoreCase);
        var warning = Assert.Single(result.Warnings, w => w.StartsWith("No browser could be opened", StringComparison.Ordinal));
        Assert.Contains("device code", warning, StringComparison.Ordinal);
        Assert.Contains("SSH", warning, StringComparison.Ordinal);
        Assert.Equal(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName, result.Output.Single().Str("Identity"), ignoreCase: true);
        Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.IsTokenRequest && e.Status == 200 && e.GrantType!.Contains("device_code", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAppWithoutTheLoopbackRedirectUriFailsWithTheFixAndNoBrowser()
    {
        Environment.SetEnvironmentVariable("BROWSER", "/nonexistent/browser-that-must-not-run");
        using var session = new PowerShellSession();
        var result = session.Run($"Connect-M365 -Sandbox -Interactive -AppId {SandboxSeed.KioskAppId}");

        var error = result.SingleError("RedirectUriNotRegistered", ErrorCategory.InvalidOperation);
        Assert.Contains("AADSTS50011", error.Text(), StringComparison.Ordinal);
        Assert.Contains("add http://localhost as a Mobile and desktop applications redirect URI", error.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(result.Warnings); // no "no browser" fallback: the page check stopped it first
    }

    [Fact]
    public async Task CtrlCStopsTheListenerAtOnceAndFreesItsPort()
    {
        var file = Path.Combine(Path.GetTempPath(), "m365-browser-url-" + Guid.NewGuid().ToString("N") + ".txt");
        Environment.SetEnvironmentVariable("BROWSER", $"sh -c 'printf %%s \"$1\" > {file}' sh"); // opens nothing: nobody answers
        try
        {
            using var session = new PowerShellSession();
            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript("Connect-M365 -Sandbox -Interactive");
            var invocation = ps.BeginInvoke();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!(File.Exists(file) && File.ReadAllText(file).StartsWith("https://", StringComparison.Ordinal) && !PortIsFree(File.ReadAllText(file))) && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }

            var url = File.ReadAllText(file);
            Assert.False(PortIsFree(url), "MSAL's listener should be waiting for the browser");
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);

            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
            Assert.True(PortIsFree(url), "the listener's port should be free after Ctrl+C");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>True when nothing listens on the port of the authorize URL's redirect URI.</summary>
    private static bool PortIsFree(string authorizeUrl)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorizeUrl).Query);
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://localhost:{new Uri(query["redirect_uri"]!).Port}/");
        try
        {
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.HttpListenerException)
        {
            return false;
        }
    }

    [Fact]
    public void ANonInteractiveHostFailsAtOnceWithoutARequest()
    {
        using var session = new PowerShellSession(interactive: false);
        var result = session.Run("Connect-M365 -Sandbox -Interactive");

        result.SingleError("BrowserSignInNonInteractive", ErrorCategory.InvalidOperation);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.Contains("/oauth2/", StringComparison.Ordinal));
    }

    [Fact]
    public void APersistedBrowserSignInIsResumedByALaterSession()
    {
        Environment.SetEnvironmentVariable("M365_TOKEN_CACHE_DIRECTORY", _cache);
        using (var first = new PowerShellSession())
        {
            first.RunOk("Connect-M365 -Sandbox -Interactive -Name kept -PersistLogin -AllowUnencryptedTokenCache");
        }

        _fixture.Sandbox.ResetRequestLog();
        using var later = new PowerShellSession();
        var resumed = later.RunOk("Connect-M365 -Sandbox -Name kept -PassThru").Output.Single();

        Assert.Equal("Interactive", resumed.Str("AuthType"));
        Assert.Equal("https://graph.microsoft.com", later.RunOk("Get-M365AccessToken -Resource Graph").Output.Single().Str("Audience"));
        var log = _fixture.Sandbox.GetRequestLog();
        Assert.DoesNotContain(log, e => e.Path.EndsWith("/authorize", StringComparison.Ordinal) || e.Path.EndsWith("/devicecode", StringComparison.Ordinal));
        Assert.DoesNotContain(log, e => e.IsTokenRequest && e.GrantType == "authorization_code");
    }
}
