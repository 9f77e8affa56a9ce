using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace M365.Pester.Tests;

/// <summary>
/// Runs tests/Invoke-PesterSuite.ps1 in real pwsh (the PowerShell .NET tool pinned in .config/dotnet-tools.json)
/// with the Pester module restored from NuGet. Each run happens once per test process and is shared by every case.
/// </summary>
internal static class PesterSuite
{
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);
    private static readonly Lazy<PesterReport> s_discovery = new(Discover);
    private static readonly Lazy<Task<PesterRun>> s_interactive = new(() => Task.Run(() => Run(nonInteractive: false)));
    private static readonly Lazy<Task<PesterRun>> s_nonInteractive = new(() => Task.Run(() => Run(nonInteractive: true)));
    private static readonly Lazy<bool> s_toolRestored = new(RestoreTools);
    private static readonly object s_summaryLock = new();

    /// <summary>Each run's closing line ("Pester 5.9.1 in pwsh 7.6.9 (interactive): N passed, ..."), which the
    /// project's build prints after 'dotnet test' so the output shows what ran.</summary>
    public static string SummaryFile { get; } = Path.Combine(AppContext.BaseDirectory, "pester-summary.txt");

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string PesterModule { get; } = Metadata("PesterModule");

    public static string PesterVersion { get; } = Metadata("PesterVersion");

    /// <summary>The tests as Pester discovers them (nothing run).</summary>
    public static PesterReport Discovered => s_discovery.Value;

    public static PesterRun Get(bool nonInteractive)
    {
        if (!s_interactive.IsValueCreated)
        {
            lock (s_summaryLock)
            {
                File.Delete(SummaryFile);
            }
        }

        // Both runs start together: they spend most of their time waiting for their sandboxes and sign-ins.
        var interactive = s_interactive.Value;
        var quiet = s_nonInteractive.Value;
        return (nonInteractive ? quiet : interactive).GetAwaiter().GetResult();
    }

    private static string Metadata(string key) =>
        typeof(PesterSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The assembly metadata {key} is empty.");

    private static PesterReport Discover()
    {
        var output = Path.Combine(Path.GetTempPath(), $"m365-pester-discovery-{Guid.NewGuid():N}.json");
        try
        {
            var run = Pwsh(nonInteractive: true, DiscoveryTimeout, "-Discover", "-OutputPath", output);
            if (!File.Exists(output))
            {
                throw new InvalidOperationException($"Pester discovery wrote no results (exit code {run.ExitCode}):\n{run.Output}");
            }

            return PesterReport.Load(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static PesterRun Run(bool nonInteractive)
    {
        var output = Path.Combine(Path.GetTempPath(), $"m365-pester-run-{Guid.NewGuid():N}.json");
        try
        {
            var run = Pwsh(nonInteractive, RunTimeout, "-OutputPath", output);
            var report = File.Exists(output) ? PesterReport.Load(output) : null;
            var closing = run.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("Pester ", StringComparison.Ordinal))
                ?? $"Pester ({(nonInteractive ? "-NonInteractive" : "interactive")}): the runner ended with exit code {run.ExitCode} before its summary";
            lock (s_summaryLock)
            {
                File.AppendAllLines(SummaryFile, [closing]);
            }

            return new PesterRun(report, run.ExitCode, run.Output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static ProcessResult Pwsh(bool nonInteractive, TimeSpan timeout, params string[] arguments)
    {
        _ = s_toolRestored.Value;
        var all = new List<string> { "pwsh", "-NoProfile" };
        if (nonInteractive)
        {
            all.Add("-NonInteractive");
        }

        all.AddRange(["-File", Path.Combine(RepoRoot, "tests", "Invoke-PesterSuite.ps1"), "-PesterModule", PesterModule]);
        all.AddRange(arguments);
        return ProcessRunner.Run(DotnetHost(), all, RepoRoot, timeout);
    }

    private static bool RestoreTools()
    {
        var result = ProcessRunner.Run(DotnetHost(), ["tool", "restore"], RepoRoot, TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet tool restore' failed with exit code {result.ExitCode}:\n{result.Output}");
        }

        return true;
    }

    /// <summary>The dotnet host running this test process (testhost runs under it), else dotnet on the PATH.</summary>
    private static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        return path is not null && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : "dotnet";
    }
}

/// <summary>One run of the suite: its results (null if the runner died before writing them), exit code and output.</summary>
internal sealed record PesterRun(PesterReport? Report, int ExitCode, string Output);

internal sealed record ProcessResult(int ExitCode, string Output);

internal static class ProcessRunner
{
    /// <summary>Runs a process to its end, with standard input closed; kills the whole tree when it outlives the timeout.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Append(output, $"[killed after {timeout.TotalSeconds:0} s]");
            return new ProcessResult(-1, Snapshot(output));
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>What tests/Invoke-PesterSuite.ps1 writes.</summary>
internal sealed class PesterReport
{
    private static readonly JsonSerializerOptions s_options = new() { PropertyNameCaseInsensitive = true };

    public string PsVersion { get; set; } = "";

    public string PesterVersion { get; set; } = "";

    public bool Interactive { get; set; }

    public List<PesterContainer> Containers { get; set; } = [];

    public List<PesterBlock> Blocks { get; set; } = [];

    public List<PesterTest> Tests { get; set; } = [];

    public static PesterReport Load(string path) =>
        JsonSerializer.Deserialize<PesterReport>(File.ReadAllText(path), s_options)
        ?? throw new InvalidOperationException($"{path} holds no Pester report.");
}

internal sealed class PesterContainer
{
    public string File { get; set; } = "";

    public string Result { get; set; } = "";

    public List<string> Errors { get; set; } = [];
}

internal sealed class PesterBlock
{
    public string File { get; set; } = "";

    public string Path { get; set; } = "";

    public List<string> Errors { get; set; } = [];
}

internal sealed class PesterTest
{
    public string File { get; set; } = "";

    public string Path { get; set; } = "";

    public string Result { get; set; } = "";

    public List<string> Errors { get; set; } = [];

    [JsonIgnore]
    public string Name => $"{File}: {Path}";
}
