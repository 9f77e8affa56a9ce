using M365.Module.Tests.Harness;
using M365.Try;

namespace M365.Module.Tests;

/// <summary>The README's main-job command, dotnet run --project src/M365.Try, does what it says.</summary>
[Collection(SandboxCollection.Name)]
public sealed class TryRunnerTests
{
    private readonly SandboxFixture _fixture;

    public TryRunnerTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Fact]
    public async Task TheDemoSignsInOnceAndGetsEveryResourceToken()
    {
        var original = Console.Out;
        var output = new StringWriter();
        int exitCode;
        try
        {
            Console.SetOut(TextWriter.Synchronized(output));
            exitCode = await TryRunner.RunAsync(Array.Empty<string>());
        }
        finally
        {
            Console.SetOut(original);
            _fixture.Reset();
        }

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("started at https://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("devicelogin", text, StringComparison.OrdinalIgnoreCase);
        foreach (var audience in new[] { "https://graph.microsoft.com", "https://contoso.sharepoint.com", "https://contoso-admin.sharepoint.com", "https://manage.office.com", "https://management.azure.com/" })
        {
            Assert.Contains(audience, text, StringComparison.Ordinal);
        }

        Assert.Contains("https://www.yammer.com", text, StringComparison.Ordinal);
        Assert.Contains("Disconnected admin@contoso.onmicrosoft.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScriptThatFailsGivesExitCodeOne()
    {
        var script = Path.Combine(Path.GetTempPath(), $"m365-try-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, "Get-M365AccessToken -Resource Graph");
        var original = Console.Out;
        var output = new StringWriter();
        try
        {
            Console.SetOut(TextWriter.Synchronized(output));
            Assert.Equal(1, await TryRunner.RunAsync(new[] { script, "--sandbox", _fixture.Sandbox.DescriptorPath }));
            Assert.Equal(2, await TryRunner.RunAsync(new[] { "--bogus" }));
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(script);
            _fixture.Reset();
        }

        Assert.Contains("ConnectionNotFound", output.ToString(), StringComparison.Ordinal);
    }
}
