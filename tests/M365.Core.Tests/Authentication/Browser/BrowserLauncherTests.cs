using M365.Core.Authentication.Browser;

namespace M365.Core.Tests.Authentication.Browser;

/// <summary>The real launcher runs real programs: $BROWSER's entries in turn until one starts and does not fail.</summary>
public sealed class BrowserLauncherTests
{
    private static readonly Uri Url = new("https://127.0.0.1:5443/t/oauth2/v2.0/authorize?client_id=a&state=b%20c");

    [Fact]
    public async Task TriesEachBrowserEntryUntilOneWorksAndPassesTheUrlAsOneArgument()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // sh is needed for the programs below.
        }

        string file = Path.Combine(Path.GetTempPath(), "m365-browser-" + Guid.NewGuid() + ".txt");
        char s = Path.PathSeparator;
        var choice = new BrowserChoice(BrowserChoiceKind.BrowserVariable, $"/nonexistent/browser{s}sh -c 'exit 3'{s}sh -c 'printf \"%%s\" \"$1\" > {file}' sh");
        string? failure = null;
        try
        {
            new BrowserLauncher(BrowserEnvironment.System).Launch(choice, Url, reason => failure = reason, CancellationToken.None);
            for (int i = 0; i < 200 && !File.Exists(file); i++)
            {
                await Task.Delay(25);
            }

            await Task.Delay(100);
            Assert.Equal(Url.AbsoluteUri, File.ReadAllText(file));
            Assert.Null(failure);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task WhenEveryEntryFailsItSaysWhyOnce()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        char s = Path.PathSeparator;
        var choice = new BrowserChoice(BrowserChoiceKind.BrowserVariable, $"/nonexistent/browser{s}sh -c 'exit 4'");
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        new BrowserLauncher(BrowserEnvironment.System).Launch(choice, Url, reason => failed.TrySetResult(reason), CancellationToken.None);
        string reason = await failed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("'/nonexistent/browser' could not be started", reason);
        Assert.Contains("'sh' exited with code 4", reason);
    }

    [Fact]
    public void NoSystemLauncherInstalledIsMsalsLinuxXdgOpenFailed()
    {
        BrowserEnvironment bare = BrowserEnvironmentTests.Pinned("Linux", "DISPLAY=:0");
        string? failure = null;

        new BrowserLauncher(bare).Launch(bare.Choose(), Url, reason => failure = reason, CancellationToken.None);

        Assert.Contains("linux_xdg_open_failed", failure);
        Assert.Contains("xdg-open", failure);
    }
}
