using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace M365.Bench.Scenarios;

/// <summary>
/// Whole-module scenarios as users run them: the PowerShell engine hosted in this process (Microsoft.PowerShell.SDK),
/// the module imported from out/M365, a sandbox tenant in process or as a child process. Each measured run is a fresh
/// child process of this program, so import costs are cold and peak working sets belong to one run. Prints one table:
/// the median of the runs, with the peak working set and the bytes allocated.
/// </summary>
public static class ScenarioRunner
{
    public const string ChildSwitch = "--scenario-child";
    private static readonly string[] AllScenarios = { "import", "lookups", "stream", "sites", "runspaces" };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] == ChildSwitch)
        {
            // One measured run: print its measurement as a JSON line for the parent.
            var measurement = await Scenario.RunChildAsync(args[1], args.Skip(2).ToArray());
            Console.WriteLine(JsonSerializer.Serialize(measurement));
            return 0;
        }

        var chosen = Value(args, "--scenarios") is { } list && list != "all" ? list.Split(',') : AllScenarios;
        var runs = int.Parse(Value(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var sizes = (Value(args, "--stream-sizes") ?? "5000,50000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var rows = new List<(string Case, Measurement Median)>();
        foreach (var scenario in chosen)
        {
            foreach (var (label, childArgs) in Cases(scenario, sizes))
            {
                var samples = new List<Measurement>();
                await using var external = scenario == "stream" ? await ExternalSandbox.StartAsync(int.Parse(childArgs[0], CultureInfo.InvariantCulture)) : null;
                for (var run = 0; run < runs; run++)
                {
                    samples.Add(RunChild(scenario, external is null ? childArgs : childArgs.Append(external.DescriptorPath).ToArray()));
                }

                var median = Measurement.Median(samples);
                rows.Add((label, median));
                Console.Error.WriteLine($"  {label}: {median.Milliseconds:0.0} ms ({runs} runs)");
            }
        }

        Print(rows, runs);
        return 0;
    }

    private static IEnumerable<(string Label, string[] Args)> Cases(string scenario, int[] sizes) => scenario switch
    {
        "import" => new[]
        {
            ("import: M365", new[] { "m365" }),
            ("import: empty binary module", new[] { "empty" }),
            ("import: M365 without its format views", new[] { "m365-noviews" }),
            ("import: empty module with a one-view format file", new[] { "empty-oneview" }),
        },
        "lookups" => new[]
        {
            ("100 Get-M365AadSp -AppId one by one, 0 ms latency", new[] { "one", "0" }),
            ("100 Get-M365AadSp -AppId piped (batched), 0 ms latency", new[] { "batch", "0" }),
            ("100 Get-M365AadSp -AppId one by one, 50 ms latency", new[] { "one", "50" }),
            ("100 Get-M365AadSp -AppId piped (batched), 50 ms latency", new[] { "batch", "50" }),
        },
        "stream" => sizes.Select(n => ($"Get-M365AadSp -Property id, {n:N0} service principals", new[] { n.ToString(CultureInfo.InvariantCulture) })),
        "sites" => new[] { ("200 Add-M365SpoSite from a CSV with -Wait, 2 s provisioning", Array.Empty<string>()) },
        "runspaces" => new[] { ("32 runspaces on an expired token (Graph, SharePoint)", Array.Empty<string>()) },
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Known: {string.Join(", ", AllScenarios)}, all."),
    };

    private static Measurement RunChild(string scenario, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = typeof(ScenarioRunner).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(self);
        }

        start.ArgumentList.Add(ChildSwitch);
        start.ArgumentList.Add(scenario);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        if (!child.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"The {scenario} run did not end within 10 minutes.");
        }

        var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'))
            ?? throw new InvalidOperationException($"The {scenario} run ended with exit code {child.ExitCode} and no measurement:\n{output}\n{stderr.Result}");
        return JsonSerializer.Deserialize<Measurement>(line)!;
    }

    private static void Print(List<(string Case, Measurement Median)> rows, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"M365 scenarios: median of {runs} runs, each in a fresh process ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine($"{"scenario",-62} {"median ms",10} {"detail",-34} {"peak WS MB",10} {"alloc MB",9}");
        foreach (var (label, m) in rows)
        {
            Console.WriteLine($"{label,-62} {m.Milliseconds,10:0.0} {m.Detail,-34} {m.PeakWorkingSetGrowthMb,10:0.0} {m.AllocatedMb,9:0.0}");
        }
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

/// <summary>One run's figures (JSON between the child and the parent).</summary>
public sealed class Measurement
{
    public double Milliseconds { get; set; }

    /// <summary>What the run counted: requests sent, objects per second, sites made, token requests.</summary>
    public string Detail { get; set; } = string.Empty;

    /// <summary>Peak working set minus the working set just before the measured part.</summary>
    public double PeakWorkingSetGrowthMb { get; set; }

    public double AllocatedMb { get; set; }

    public static Measurement Median(IReadOnlyList<Measurement> samples)
    {
        var sorted = samples.OrderBy(s => s.Milliseconds).ToList();
        var middle = sorted[sorted.Count / 2];
        return new Measurement
        {
            Milliseconds = middle.Milliseconds,
            Detail = middle.Detail,
            PeakWorkingSetGrowthMb = samples.Select(s => s.PeakWorkingSetGrowthMb).OrderBy(x => x).ElementAt(samples.Count / 2),
            AllocatedMb = samples.Select(s => s.AllocatedMb).OrderBy(x => x).ElementAt(samples.Count / 2),
        };
    }
}
