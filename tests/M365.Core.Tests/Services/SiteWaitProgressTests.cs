using M365.Core.Services.SharePoint;

namespace M365.Core.Tests.Services;

/// <summary>What the progress bar of a wait for many sites says.</summary>
public sealed class SiteWaitProgressTests
{
    private static readonly string[] Five = Enumerable.Range(1, 5).Select(i => $"https://contoso.sharepoint.com/sites/s{i}").ToArray();

    [Fact]
    public void ItSaysThePercentageTheTimeElapsedAndTheFirstURLsStillWaiting()
    {
        var progress = new SiteWaitProgress(2, 7, Five, TimeSpan.FromSeconds(65.8));

        Assert.Equal(28, progress.PercentComplete);
        Assert.Equal("2 of 7 sites done (28 %), 1 min 05 s elapsed", progress.Status);
        Assert.Equal("Waiting for https://contoso.sharepoint.com/sites/s1, https://contoso.sharepoint.com/sites/s2, https://contoso.sharepoint.com/sites/s3 and 2 more.", progress.Waiting);
    }

    [Fact]
    public void AFewURLsAreAllNamedAndAnEndedWaitIsAHundredPercent()
    {
        Assert.Equal("Waiting for https://contoso.sharepoint.com/sites/s1.", new SiteWaitProgress(0, 1, Five.Take(1).ToArray(), TimeSpan.FromSeconds(3)).Waiting);
        var done = new SiteWaitProgress(3, 3, Array.Empty<string>(), TimeSpan.FromMilliseconds(900));
        Assert.Equal(100, done.PercentComplete);
        Assert.Equal("3 of 3 sites done (100 %), 0 s elapsed", done.Status);
    }

    [Fact]
    public void AStoppedWaitNamesEverySiteStillProvisioningWithARunnableCommand()
    {
        var message = SiteWaitProgress.Stopped(new[] { "https://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com/sites/o'neil" }, "https://contoso.sharepoint.com/sites/c");

        Assert.Equal(
            "Stopped while 2 submitted site(s) were still provisioning; SharePoint goes on creating them: https://contoso.sharepoint.com/sites/a, https://contoso.sharepoint.com/sites/o'neil. "
            + "The creation of https://contoso.sharepoint.com/sites/c was being sent when you stopped: it may exist too. "
            + "Check them with: Get-M365SpoSite -Url 'https://contoso.sharepoint.com/sites/a', 'https://contoso.sharepoint.com/sites/o''neil', 'https://contoso.sharepoint.com/sites/c'",
            message);
        Assert.Equal("The creation of the team site sales was being sent when you stopped: it may exist too.", SiteWaitProgress.Stopped(Array.Empty<string>(), "the team site sales"));
        Assert.Null(SiteWaitProgress.Stopped(Array.Empty<string>(), null));
    }
}
