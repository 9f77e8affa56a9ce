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
            Assert.True(text.Contains(audience, StringComparison.Ordinal), $"{audience} is missing from:\n{text}");
        }

        Assert.Contains("https://www.yammer.com", text, StringComparison.Ordinal);

        // The service cmdlets: Graph by app id (table view), a batched lookup, a site waited for, the count, Management and Yammer.
        Assert.Matches(@"Microsoft Graph\s+00000003-0000-0000-c000-000000000000", text);
        Assert.Contains("Office 365 SharePoint Online", text, StringComparison.Ordinal);
        Assert.Contains("Office 365 Management APIs", text, StringComparison.Ordinal);
        Assert.Matches(@"https://contoso\.sharepoint\.com/sites/news-\d+\s+News\s+CommunicationSite\s+Ready", text);
        Assert.Matches(@"\d+ service principals", text);
        Assert.Contains("admin@contoso.onmicrosoft.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("error", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Disconnected admin@contoso.onmicrosoft.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScriptRunsWithTheFullCmdletSetAsInPwsh()
    {
        // Select-Object, ConvertTo-Json (Utility), ConvertTo-SecureString (Security), Format-Table, Get-FileHash:
        // none of them exist in a bare System.Management.Automation host.
        var script = Path.Combine(Path.GetTempPath(), $"m365-try-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, """
            $secret = ConvertTo-SecureString -String 'not-a-secret' -AsPlainText -Force
            "secret type: $($secret.GetType().Name)"
            [pscustomobject]@{ Name = 'one'; Size = 1 }, [pscustomobject]@{ Name = 'two'; Size = 2 } |
                Select-Object -Property Name | ConvertTo-Json -Compress
            [pscustomobject]@{ Column = 'value' } | Format-Table
            Get-FileHash -InputStream ([IO.MemoryStream]::new([byte[]](1, 2, 3))) | Select-Object -ExpandProperty Algorithm
            """);
        var original = Console.Out;
        var output = new StringWriter();
        int exitCode;
        try
        {
            Console.SetOut(TextWriter.Synchronized(output));
            exitCode = await TryRunner.RunAsync(new[] { script, "--sandbox", _fixture.Sandbox.DescriptorPath });
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(script);
            _fixture.Reset();
        }

        var text = output.ToString();
        Assert.Contains("secret type: SecureString", text, StringComparison.Ordinal);
        Assert.Contains("[{\"Name\":\"one\"},{\"Name\":\"two\"}]", text, StringComparison.Ordinal);
        Assert.Matches(@"Column\s*\n-+\s*\nvalue", text.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Contains("SHA256", text, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
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
