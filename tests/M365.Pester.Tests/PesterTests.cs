namespace M365.Pester.Tests;

/// <summary>
/// Every Pester test in tests/*.Tests.ps1, run in real pwsh with Pester from NuGet: once in an interactive child and
/// once with -NonInteractive (the way runbooks and CI run). A case fails with the Pester test's own error and output.
/// </summary>
public sealed class PesterTests
{
    private const string Interactive = "interactive";
    private const string NonInteractive = "-NonInteractive";

    public static TheoryData<string, string> Tests
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var mode in new[] { Interactive, NonInteractive })
            {
                foreach (var test in PesterSuite.Discovered.Tests)
                {
                    data.Add(Label(mode), test.Name);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> Files
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var mode in new[] { Interactive, NonInteractive })
            {
                foreach (var container in PesterSuite.Discovered.Containers)
                {
                    data.Add(Label(mode), container.File);
                }
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Tests))]
    public void PesterTestPasses(string run, string test)
    {
        var report = ReportOf(run);
        var result = report.Tests.SingleOrDefault(t => t.Name == test);
        Assert.True(result is not null, $"Pester did not report '{test}' in the {run} run.\n{Output(run)}");
        Skip.If(result!.Result == "Skipped", $"Pester skipped it in the {run} run (the test says why).");
        Assert.True(
            result.Result == "Passed",
            $"'{test}' {result.Result} in the {run} run:\n{string.Join("\n", result.Errors)}\n\nPester output:\n{Output(run)}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void PesterFileRunsWithoutContainerOrBlockFailure(string run, string file)
    {
        var report = ReportOf(run);
        var container = report.Containers.SingleOrDefault(c => c.File == file);
        Assert.True(container is not null, $"Pester did not run {file} in the {run} run.\n{Output(run)}");
        Assert.True(
            container!.Result == "Passed" && container.Errors.Count == 0,
            $"{file} {container.Result} in the {run} run:\n{string.Join("\n", container.Errors)}\n\nPester output:\n{Output(run)}");
        var failedBlocks = report.Blocks.Where(b => b.File == file).ToList();
        Assert.True(
            failedBlocks.Count == 0,
            string.Join("\n", failedBlocks.Select(b => $"{file}: {b.Path} failed in BeforeAll/AfterAll: {string.Join("\n", b.Errors)}")));
    }

    [Fact]
    public void PesterRunsInThePinnedPwshWithThePinnedPester()
    {
        foreach (var nonInteractive in new[] { false, true })
        {
            var run = PesterSuite.Get(nonInteractive);
            Assert.True(run.Report is not null, $"The Pester runner wrote no results (exit code {run.ExitCode}):\n{run.Output}");
            Assert.Equal("7.6.9", run.Report!.PsVersion);
            Assert.Equal(PesterSuite.PesterVersion, run.Report.PesterVersion);
            Assert.Equal(!nonInteractive, run.Report.Interactive);
            Assert.True(run.Report.Tests.Count > 0, "The Pester run reported no test.");
        }
    }

    [Fact]
    public void EveryPesterFileInTheTestsFolderIsDiscovered()
    {
        var files = Directory.GetFiles(Path.Combine(PesterSuite.RepoRoot, "tests"), "*.Tests.ps1").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.NotEmpty(files);
        Assert.Equal(files, PesterSuite.Discovered.Containers.Select(c => c.File).Order().ToList());
    }

    private static string Label(string mode) =>
        $"{mode}, pwsh {PesterSuite.Discovered.PsVersion}, Pester {PesterSuite.Discovered.PesterVersion}";

    private static PesterReport ReportOf(string run)
    {
        var result = PesterSuite.Get(nonInteractive: run.StartsWith(NonInteractive, StringComparison.Ordinal));
        Assert.True(result.Report is not null, $"The Pester runner wrote no results (exit code {result.ExitCode}):\n{result.Output}");
        return result.Report!;
    }

    private static string Output(string run) =>
        PesterSuite.Get(nonInteractive: run.StartsWith(NonInteractive, StringComparison.Ordinal)).Output;
}
