using System.Diagnostics;
using System.Management.Automation;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

[Collection(SandboxCollection.Name)]
public sealed class CompletionAndCancellationTests
{
    private readonly SandboxFixture _fixture;

    public CompletionAndCancellationTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }


    [Fact]
    public void ResourceEnvironmentAndNameComplete()
    {
        using var session = new PowerShellSession();
        Assert.Equal(new[] { "SharePoint", "SharePointAdmin", "SharePointMy" }, session.Complete("Get-M365AccessToken -Resource Sha"));
        Assert.Equal(new[] { "USGov", "USGovDoD" }, session.Complete("Connect-M365 -Environment US"));

        session.RunOk("Connect-M365 -Sandbox -Name 'work tenant'; Connect-M365 -Sandbox -Name lab");
        Assert.Equal(new[] { "'work tenant'" }, session.Complete("Get-M365Connection -Name wo"));
        Assert.Equal(new[] { "lab" }, session.Complete("Disconnect-M365 -Name l"));
    }

    [Fact]
    public async Task CtrlCStopsADeviceCodeWaitAtOnce()
    {
        var state = Path.Combine(Path.GetTempPath(), "m365-module-tests", Guid.NewGuid().ToString("N"));
        await using var waiting = await SandboxFixture.StartAsync(state, interactiveApproval: true);
        Environment.SetEnvironmentVariable("M365_SANDBOX", waiting.DescriptorPath);
        try
        {
            using var session = new PowerShellSession();
            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript("Connect-M365 -Sandbox");
            var invocation = ps.BeginInvoke();

            var shown = Stopwatch.StartNew();
            while (!session.Host.Text.Contains("devicelogin", StringComparison.OrdinalIgnoreCase) && shown.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }

            Assert.Contains("devicelogin", session.Host.Text, StringComparison.OrdinalIgnoreCase);
            var stopping = Stopwatch.StartNew();
            await Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));

            session.Run("Get-M365Connection").SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);

            // Nobody approves this code either: -Timeout ends the wait with its own error.
            var watch = Stopwatch.StartNew();
            var timedOut = session.Run("Connect-M365 -Sandbox -Timeout 3");
            var error = timedOut.SingleError("SignInTimedOut", ErrorCategory.OperationTimeout);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the 3-second timeout took {watch.Elapsed}");
            Assert.Contains("within 3 seconds", error.Exception.Message, StringComparison.Ordinal);

            // The progress bar counts down to the real end of the wait (-Timeout here, not the code's 15 minutes), then completes.
            var countdown = timedOut.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.SecondsRemaining).ToList();
            Assert.True(countdown.Count >= 2, $"{countdown.Count} progress updates");
            Assert.All(countdown, left => Assert.InRange(left, 0, 3));
            Assert.True(countdown.SequenceEqual(countdown.OrderByDescending(x => x)), string.Join(",", countdown));
            Assert.Equal(ProgressRecordType.Completed, timedOut.Progress[^1].RecordType);
        }
        finally
        {
            _fixture.Reset();
            try
            {
                Directory.Delete(state, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
