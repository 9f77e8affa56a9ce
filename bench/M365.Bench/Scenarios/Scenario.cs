using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Bench.Scenarios;

/// <summary>The measured part of each scenario, run in a child process (see <see cref="ScenarioRunner"/>).</summary>
internal static class Scenario
{
    private static string RepoRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static string Manifest => Path.Combine(RepoRoot, "out", "M365", "M365.psd1");

    public static Task<Measurement> RunChildAsync(string scenario, string[] args) => scenario switch
    {
        "import" => Task.FromResult(Import(args[0])),
        "lookups" => LookupsAsync(batched: args[0] == "batch", latencyMs: int.Parse(args[1], CultureInfo.InvariantCulture)),
        "stream" => Task.FromResult(Stream(int.Parse(args[0], CultureInfo.InvariantCulture), descriptor: args[1])),
        "sites" => SitesAsync(),
        "runspaces" => RunspacesAsync(),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
    };

    /// <summary>
    /// Import-Module in a fresh runspace of a fresh process: M365, or the empty binary module built the same way; and, to
    /// show where the difference goes, M365 without its format views and the empty module with a one-view format file.
    /// </summary>
    private static Measurement Import(string which)
    {
        var empty = Path.Combine(RepoRoot, "bench", "M365.EmptyModule", "bin", "Release", "netstandard2.0", "M365.EmptyModule.psd1");
        if (!File.Exists(empty))
        {
            empty = empty.Replace(Path.Combine("bin", "Release"), Path.Combine("bin", "Debug"), StringComparison.Ordinal);
        }

        using var variant = which switch
        {
            "m365" => ModuleVariant.AsIs(Manifest),
            "m365-noviews" => ModuleVariant.Edited(Manifest, text => System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^\s*FormatsToProcess\s*=.*$", string.Empty)),
            "empty" => ModuleVariant.AsIs(empty),
            "empty-oneview" => ModuleVariant.Edited(empty, text => text.Replace("@{", "@{\n    FormatsToProcess = @('OneView.Format.ps1xml')", StringComparison.Ordinal), ("OneView.Format.ps1xml", OneView)),
            _ => throw new ArgumentException($"Unknown module '{which}'."),
        };
        var manifest = variant.Manifest;

        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using (var warm = PowerShell.Create())
        {
            // The engine's own first-command costs are not the module's.
            warm.Runspace = runspace;
            warm.AddScript("$null = Get-Date").Invoke();
        }

        return Measure(() =>
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", manifest).Invoke();
            ThrowOnErrors(ps);
            return which;
        });
    }

    /// <summary>100 lookups by app id with the Graph token cached: one by one, or piped (Graph batches of 20).</summary>
    private static async Task<Measurement> LookupsAsync(bool batched, int latencyMs)
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { ServicePrincipalCount = 1000 });
        using var session = new HostedSession(sandbox);
        session.Run(AppOnlySignIn(sandbox) + "; $null = Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000");
        var ids = session.Run("(Get-M365AadSp -Property appId | Select-Object -First 100).AppId").Select(o => o.ToString()).ToArray();
        if (latencyMs > 0)
        {
            sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Kind = FaultKind.Latency, LatencyMilliseconds = latencyMs, Scope = FaultScope.Direct });
        }

        sandbox.ResetRequestLog();
        var script = batched
            ? "$ids | Get-M365AadSp | Measure-Object | ForEach-Object Count"
            : "$n = 0; foreach ($id in $ids) { $n += @(Get-M365AadSp -AppId $id).Count }; $n";
        string found = string.Empty;
        var measurement = Measure(() => found = session.Run(script, ("ids", ids)).Single().ToString());
        var requests = sandbox.GetRequestLog().Count(e => e.Host == "graph.microsoft.com" && e.BatchId is null);
        measurement.Detail = $"{found} found, {requests} requests";
        return measurement;
    }

    /// <summary>Every service principal streamed through the pipeline (the sandbox is another process: only M365 is measured).</summary>
    private static Measurement Stream(int count, string descriptor)
    {
        Environment.SetEnvironmentVariable("M365_SANDBOX", descriptor);
        using var session = new HostedSession(sandbox: null);
        session.Run(AppOnlySignInFromSeed() + "; $null = Get-M365AadSp -AppId 00000003-0000-0000-c000-000000000000");
        string seen = string.Empty;
        var measurement = Measure(() => seen = session.Run("Get-M365AadSp -Property id | Measure-Object | ForEach-Object Count").Single().ToString());
        var perSecond = int.Parse(seen, CultureInfo.InvariantCulture) / (measurement.Milliseconds / 1000);
        measurement.Detail = $"{seen} objects, {perSecond:N0}/s";
        return measurement;
    }

    /// <summary>200 communication sites from a CSV with -Wait, the sandbox taking 2 s to provision each.</summary>
    private static async Task<Measurement> SitesAsync()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { SiteProvisioningSeconds = 2 });
        using var session = new HostedSession(sandbox);
        var admin = sandbox.Seed.DefaultUser;
        session.Run(
            "Connect-M365 -Sandbox -Tenant contoso.onmicrosoft.com -Credential ([pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))) -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource SharePoint",
            ("user", admin.UserPrincipalName), ("password", admin.Password));
        var csv = Path.Combine(Path.GetTempPath(), $"m365-sites-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(csv, new[] { "Type,Title,Url" }.Concat(Enumerable.Range(1, 200).Select(i => $"CommunicationSite,Site {i},https://contoso.sharepoint.com/sites/bench-{Guid.NewGuid():N}")));
        try
        {
            string made = string.Empty;
            var measurement = Measure(() => made = session.Run("Import-Csv $csv | Add-M365SpoSite -Wait | Where-Object Status -eq 'Ready' | Measure-Object | ForEach-Object Count", ("csv", csv)).Single().ToString());
            measurement.Detail = $"{made} sites ready";
            return measurement;
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>32 runspaces ask one connection for Graph and SharePoint tokens just after both expired.</summary>
    private static async Task<Measurement> RunspacesAsync()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions());
        sandbox.SetTokenLifetimes(accessToken: TimeSpan.FromSeconds(2));
        using var owner = new HostedSession(sandbox);
        var connection = owner.Run(AppOnlySignIn(sandbox) + " -RefreshAhead 00:00:00 -PassThru; $null = Get-M365AccessToken -Resource SharePoint").First();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        sandbox.SetTokenLifetimes(accessToken: TimeSpan.FromHours(1));
        var sessions = Enumerable.Range(0, 32).Select(_ => new HostedSession(sandbox)).ToList();
        try
        {
            sandbox.ResetRequestLog();
            using var start = new Barrier(sessions.Count);
            var measurement = Measure(() =>
            {
                // Own threads, not the pool: 32 callers blocked at the barrier would starve a 2-core pool for seconds.
                var threads = sessions.Select(s => new Thread(() =>
                {
                    start.SignalAndWait();
                    s.Run("$null = Get-M365AccessToken -Connection $c -Resource Graph, SharePoint", ("c", connection));
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                return string.Empty;
            });
            measurement.Detail = $"{sandbox.GetRequestLog().Count(e => e.IsTokenRequest)} token requests";
            return measurement;
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    private static string AppOnlySignIn(SandboxHost sandbox) =>
        $"Connect-M365 -Sandbox -Tenant {sandbox.TenantId} -AppId {SandboxSeed.AutomationAppId} -ClientSecret (ConvertTo-SecureString '{SandboxSeed.AutomationAppSecret}' -AsPlainText -Force)";

    private static string AppOnlySignInFromSeed() =>
        $"$d = Get-Content -Raw $env:M365_SANDBOX | ConvertFrom-Json; Connect-M365 -Sandbox -Tenant $d.tenantId -AppId {SandboxSeed.AutomationAppId} -ClientSecret (ConvertTo-SecureString '{SandboxSeed.AutomationAppSecret}' -AsPlainText -Force)";

    private static Task<SandboxHost> StartSandboxAsync(SandboxOptions options)
    {
        options.Port = 0;
        options.StateDirectory = Path.Combine(Path.GetTempPath(), "m365-scenario-" + Guid.NewGuid().ToString("N"));
        options.DeviceCodeIntervalSeconds = 1;
        return SandboxHost.StartAsync(options);
    }

    /// <summary>Times <paramref name="work"/>, with the working-set high-water mark reset first (Linux) and the bytes it allocated.</summary>
    /// <summary>One table view of an unrelated type: what any module's format file costs PowerShell to take in.</summary>
    private const string OneView = """
        <?xml version="1.0" encoding="utf-8"?>
        <Configuration><ViewDefinitions><View><Name>OneView</Name><ViewSelectedBy><TypeName>M365.Bench.OneView</TypeName></ViewSelectedBy>
        <TableControl><TableHeaders><TableColumnHeader /></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems>
        <TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries>
        </TableControl></View></ViewDefinitions></Configuration>
        """;

    /// <summary>A module folder to import: the built one, or a temporary copy with an edited manifest (deleted after).</summary>
    private sealed class ModuleVariant : IDisposable
    {
        private readonly string? _copy;

        private ModuleVariant(string manifest, string? copy)
        {
            Manifest = manifest;
            _copy = copy;
        }

        public string Manifest { get; }

        public static ModuleVariant AsIs(string manifest) => new(manifest, null);

        public static ModuleVariant Edited(string manifest, Func<string, string> edit, params (string Name, string Text)[] extraFiles)
        {
            var source = Path.GetDirectoryName(manifest)!;
            var copy = Path.Combine(Path.GetTempPath(), "m365-bench-module-" + Guid.NewGuid().ToString("N"), Path.GetFileName(source));
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var copied = Path.Combine(copy, Path.GetFileName(manifest));
            File.WriteAllText(copied, edit(File.ReadAllText(copied)));
            foreach (var (name, text) in extraFiles)
            {
                File.WriteAllText(Path.Combine(copy, name), text);
            }

            return new ModuleVariant(copied, Path.GetDirectoryName(copy));
        }

        public void Dispose()
        {
            if (_copy is not null)
            {
                Directory.Delete(_copy, recursive: true);
            }
        }
    }

    private static Measurement Measure(Func<string> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        ResetPeakWorkingSet();
        self.Refresh();
        var before = self.WorkingSet64;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        work();
        watch.Stop();
        self.Refresh();
        return new Measurement
        {
            Milliseconds = watch.Elapsed.TotalMilliseconds,
            PeakWorkingSetGrowthMb = Math.Max(0, self.PeakWorkingSet64 - before) / 1048576.0,
            AllocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0,
        };
    }

    /// <summary>Linux keeps a process-lifetime peak (VmHWM); writing 5 to clear_refs starts it afresh.</summary>
    private static void ResetPeakWorkingSet()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (IOException)
            {
                // Without it the figure is the growth over the earlier peak, a lower bound.
            }
            catch (UnauthorizedAccessException)
            {
                // Same.
            }
        }
    }

    private static void ThrowOnErrors(PowerShell ps)
    {
        if (ps.HadErrors)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, ps.Streams.Error.Select(e => e.ToString())));
        }
    }

    /// <summary>A runspace with the full engine and the module imported; the sandbox descriptor in the environment.</summary>
    private sealed class HostedSession : IDisposable
    {
        private readonly Runspace _runspace;

        public HostedSession(SandboxHost? sandbox)
        {
            if (sandbox is not null)
            {
                Environment.SetEnvironmentVariable("M365_SANDBOX", sandbox.DescriptorPath);
            }

            var state = InitialSessionState.CreateDefault2();
            state.ThrowOnRunspaceOpenError = true;
            state.ImportPSModule(Manifest);
            _runspace = RunspaceFactory.CreateRunspace(state);
            _runspace.Open();
        }

        public Collection<PSObject> Run(string script, params (string Name, object? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }

            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            var output = ps.AddScript(script).Invoke();
            ThrowOnErrors(ps);
            return output;
        }

        public void Dispose() => _runspace.Dispose();
    }
}

/// <summary>A sandbox tenant in its own process (serve), so that a scenario measures M365's memory, not the sandbox's.</summary>
internal sealed class ExternalSandbox : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _state;

    private ExternalSandbox(Process process, string state)
    {
        _process = process;
        _state = state;
    }

    public string DescriptorPath => Path.Combine(_state, "sandbox.json");

    public static async Task<ExternalSandbox> StartAsync(int servicePrincipals)
    {
        var state = Path.Combine(Path.GetTempPath(), "m365-scenario-serve-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(SandboxHost).Assembly.Location, "serve", "--port", "0", "--state", state, "--service-principals", servicePrincipals.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var sandbox = new ExternalSandbox(process, state);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(sandbox.DescriptorPath))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                await sandbox.DisposeAsync();
                throw new InvalidOperationException($"The sandbox for {servicePrincipals} service principals did not start.");
            }

            await Task.Delay(200);
        }

        return sandbox;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
