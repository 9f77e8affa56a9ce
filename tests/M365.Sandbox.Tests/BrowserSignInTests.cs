using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using M365.Sandbox.Directory;
using static M365.Sandbox.Tests.AuthorizeFlow;

namespace M365.Sandbox.Tests;

/// <summary>
/// tests/node/browser-signin.mjs in real headless Chromium against a sandbox with interactive approval: it types the
/// account and password and clicks through consent, and the answer reaches this test's own loopback listener. The
/// test setup (tests/node/ensure-browser.sh) installs chromium and the node packages when they are missing; the tests
/// are skipped only where that cannot be done (chromium missing and not root). Screenshots land in artifacts/browser-signin.
/// </summary>
public sealed class BrowserSignInTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly Lazy<Task<(int ExitCode, string Output)>> Setup = new(() => RunAsync(
        "bash", new[] { Path.Combine(RepoRoot, "tests", "node", "ensure-browser.sh") }, new Dictionary<string, string?>(), TimeSpan.FromMinutes(20)));

    [SkippableFact]
    public async Task ChromiumSignsInAcceptsConsentAndPostsTheCodeToTheLoopbackListener()
    {
        await EnsureBrowserAsync();
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        var withdrawn = await sandbox.Http.PostAsync($"{sandbox.Host.ControlUrl}/apps/{Pnp}/withdraw-consent?resource=graph", null);
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        using var listener = new LoopbackListener();
        var (verifier, challenge) = NewPkce();
        const string State = "browser \"state\" <&>";
        var admin = sandbox.Host.Seed.Admin.UserPrincipalName;
        var url = V2(sandbox.Host.Url, listener.RedirectUri, challenge, State);

        var shots = ScreenshotFolder(nameof(ChromiumSignsInAcceptsConsentAndPostsTheCodeToTheLoopbackListener));
        var (exitCode, output) = await RunDriverAsync(sandbox, url, shots, ("M365_BROWSER_ACCOUNT", admin), ("M365_BROWSER_PASSWORD", SandboxSeed.AdminPassword));

        Assert.True(exitCode == 0, output);
        var answer = await listener.Answer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("POST", answer.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", answer.ContentType);
        Assert.Equal(State, answer.Fields["state"]);
        var tokens = await TokensAsync(await RedeemAsync(sandbox, answer.Fields["code"], listener.RedirectUri, verifier));
        Assert.Equal(admin, TemporarySandbox.Claims(tokens.GetProperty("access_token").GetString()!).GetProperty("upn").GetString());
        Assert.NotNull(sandbox.Host.Directory.ConsentedScopes(sandbox.Host.Seed.PnpManagementShell, ResourceService.Graph));
        foreach (var screenshot in new[] { "01-signin.png", "02-consent.png" })
        {
            Assert.True(new FileInfo(Path.Combine(shots, screenshot)).Length > 1000, $"{screenshot} in {shots}");
        }

        Assert.DoesNotContain(SandboxSeed.AdminPassword, output + File.ReadAllText(Path.Combine(shots, "browser-signin.log")));
    }

    [SkippableFact]
    public async Task ChromiumCancelGoesBackAsAccessDeniedAndAnUnregisteredRedirectUriFailsTheDriver()
    {
        await EnsureBrowserAsync();
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        using var listener = new LoopbackListener();
        var shots = ScreenshotFolder(nameof(ChromiumCancelGoesBackAsAccessDeniedAndAnUnregisteredRedirectUriFailsTheDriver));
        var url = V2(sandbox.Host.Url, listener.RedirectUri, NewPkce().Challenge, "cancel-state", ("response_mode", "query"));

        var (exitCode, output) = await RunDriverAsync(sandbox, url, shots, ("M365_BROWSER_ACTION", "cancel"));
        Assert.True(exitCode == 0, output);
        var answer = await listener.Answer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("GET", answer.Method);
        Assert.Equal(("access_denied", "cancel", "cancel-state"), (answer.Fields["error"], answer.Fields["error_subcode"], answer.Fields["state"]));

        // On the real login host name, which the driver resolves to the sandbox.
        var kiosk = V2("https://login.microsoftonline.com", listener.RedirectUri, NewPkce().Challenge, "s", ("client_id", SandboxSeed.KioskAppId.ToString()));
        var (refused, message) = await RunDriverAsync(sandbox, kiosk, Path.Combine(shots, "kiosk"), ("M365_BROWSER_PASSWORD", "unused"));
        Assert.Equal(1, refused);
        Assert.Contains("AADSTS50011", message);
        Assert.True(File.Exists(Path.Combine(shots, "kiosk", "01-error.png")));
    }

    [SkippableFact]
    public async Task MsalInteractiveSignsInThroughChromiumOnTheSandboxsLoopbackOrigin()
    {
        await EnsureBrowserAsync();
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.InteractiveApproval = true);
        var seed = sandbox.Host.Seed;
        var app = Microsoft.Identity.Client.PublicClientApplicationBuilder.Create(Pnp.ToString())
            .WithAuthority($"https://login.microsoftonline.com/{seed.TenantDomain}")
            .WithRedirectUri("http://localhost")
            .WithHttpClientFactory(new PinnedHttpClientFactory(sandbox.Host))
            .Build();
        var shots = ScreenshotFolder(nameof(MsalInteractiveSignsInThroughChromiumOnTheSandboxsLoopbackOrigin));
        Task<(int ExitCode, string Output)>? driver = null;

        // As the module does with -Sandbox: the browser goes to the sandbox's own origin, same path and query, and is not awaited.
        var result = await app.AcquireTokenInteractive(new[] { "https://graph.microsoft.com/.default" })
            .WithLoginHint(seed.Admin.UserPrincipalName)
            .WithSystemWebViewOptions(new Microsoft.Identity.Client.SystemWebViewOptions
            {
                OpenBrowserAsync = uri =>
                {
                    driver = RunDriverAsync(sandbox, sandbox.Host.Url + uri.PathAndQuery, shots, ("M365_BROWSER_PASSWORD", SandboxSeed.AdminPassword));
                    return Task.CompletedTask;
                },
            })
            .ExecuteAsync(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);

        Assert.Equal(seed.Admin.UserPrincipalName, result.Account.Username);
        var (exitCode, output) = await driver!;
        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(shots, "01-signin.png")));
    }

    private static async Task EnsureBrowserAsync()
    {
        var (exitCode, output) = await Setup.Value;
        Skip.If(exitCode == 2, "Chromium cannot be installed here: " + output);
        Assert.True(exitCode == 0, "tests/node/ensure-browser.sh failed: " + output);
    }

    private static Task<(int ExitCode, string Output)> RunDriverAsync(TemporarySandbox sandbox, string url, string shots, params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string?>
        {
            ["M365_SANDBOX"] = sandbox.Host.DescriptorPath,
            ["M365_BROWSER_SCREENSHOTS"] = shots,
            ["M365_BROWSER_TIMEOUT"] = "60",
            ["M365_BROWSER_ACCOUNT"] = null,
            ["M365_BROWSER_PASSWORD"] = null,
            ["M365_BROWSER_ACTION"] = null,
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return RunAsync("node", new[] { Path.Combine(RepoRoot, "tests", "node", "browser-signin.mjs"), url }, variables, TimeSpan.FromSeconds(90));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, Dictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} did not finish within {timeout}: {output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static string ScreenshotFolder(string test)
    {
        var folder = Path.Combine(RepoRoot, "artifacts", "browser-signin", test);
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        return folder;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "M365Module.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("M365Module.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>What a native app's redirect listener gets: the first request to its root, form_post or query.</summary>
    internal sealed record ListenerAnswer(string Method, string? ContentType, Dictionary<string, string> Fields);

    /// <summary>A loopback HttpListener on http://localhost:{free port}/, as MSAL's, that answers the browser and keeps the first answer.</summary>
    private sealed class LoopbackListener : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly TaskCompletionSource<ListenerAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LoopbackListener()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            RedirectUri = $"http://localhost:{port}/";
            _listener.Prefixes.Add(RedirectUri);
            _listener.Start();
            _ = ServeAsync();
        }

        public string RedirectUri { get; }

        public Task<ListenerAnswer> Answer => _answer.Task;

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var request = context.Request;
                var root = request.Url!.AbsolutePath == "/";
                if (root)
                {
                    using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                    var body = request.HttpMethod == "POST" ? await reader.ReadToEndAsync() : request.Url.Query.TrimStart('?');
                    var fields = body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                        .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : string.Empty);
                    _answer.TrySetResult(new ListenerAnswer(request.HttpMethod, request.ContentType, fields));
                }

                context.Response.StatusCode = root ? 200 : 404;
                context.Response.ContentType = "text/html; charset=utf-8";
                var page = Encoding.UTF8.GetBytes(root ? "<html><body><h1>Authentication complete.</h1>You can return to the application.</body></html>" : "not found");
                await context.Response.OutputStream.WriteAsync(page);
                context.Response.Close();
            }
        }
    }
}
