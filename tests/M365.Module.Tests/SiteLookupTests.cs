using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Module.Tests;

/// <summary>
/// Get-M365SpoSite, and what Add-M365SpoSite leaves to it: a wait that timed out or was stopped names the sites still
/// provisioning and the command that follows them. Checked against the sandbox's request log.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SiteLookupTests
{
    private readonly SandboxFixture _fixture;

    public SiteLookupTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
    }

    private static string NewUrl(string prefix) => $"https://contoso.sharepoint.com/sites/{prefix}-{Guid.NewGuid():N}";

    private PowerShellSession SignedIn()
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource Graph, SharePoint", new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential("admin@contoso.onmicrosoft.com", Secrets.Secure(SandboxSeed.AdminPassword)),
        });
        _fixture.Sandbox.ResetRequestLog();
        return session;
    }

    private List<string> SharePointCalls() =>
        _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest && e.Host.EndsWith(".sharepoint.com", StringComparison.Ordinal)).Select(e => e.Method + " " + e.Path).ToList();

    [Fact]
    public void AReadySiteHasItsTitleTemplateAndCreationTimeFromTheSitesOwnApi()
    {
        using var session = SignedIn();
        var url = NewUrl("lookup");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        session.RunOk("$null = Add-M365SpoSite -Type CommunicationSite -Title 'Lookup news' -Url $url", new Dictionary<string, object?> { ["url"] = url });
        _fixture.Sandbox.ResetRequestLog();

        var site = Assert.Single(session.RunOk("Get-M365SpoSite -Url $url", new Dictionary<string, object?> { ["url"] = url }).Output);

        Assert.Equal("M365.SpoSite", site.TypeNames[0]);
        Assert.Equal(url, site.Str("Url"));
        Assert.Equal("Ready", site.Str("Status"));
        Assert.Equal("Lookup news", site.Str("Title"));
        Assert.Equal("CommunicationSite", site.Str("Type"));
        Assert.Equal("SITEPAGEPUBLISHING#0", site.Str("Template"));
        Assert.InRange(Assert.IsType<DateTimeOffset>(site.Prop("Created")), before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.False(string.IsNullOrEmpty(site.Str("SiteId")));
        var path = new Uri(url).AbsolutePath;
        Assert.Equal(new[] { "GET /_api/SPSiteManager/status", $"GET {path}/_api/web", $"GET {path}/_api/site" }, SharePointCalls());
    }

    [Fact]
    public void URLsAndSitesBindFromThePipelineAndAMissingSiteIsOneSiteNotFound()
    {
        using var session = SignedIn();
        var team = "lookup" + Guid.NewGuid().ToString("N")[..10];
        var missing = NewUrl("never-made");
        var result = session.Run(
            "$site = Add-M365SpoSite -Type TeamSite -Title 'Lookup team' -Alias $team; " +
            "$site | Get-M365SpoSite; $missing, $site.Url | Get-M365SpoSite; [pscustomobject]@{ Url = $site.Url; Title = 'a row' } | Get-M365SpoSite",
            new Dictionary<string, object?> { ["team"] = team, ["missing"] = missing });

        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal($"https://contoso.sharepoint.com/sites/{team}", o.Str("Url")));
        Assert.All(result.Output, o => Assert.Equal("GROUP#0", o.Str("Template")));
        Assert.All(result.Output, o => Assert.Equal("TeamSite", o.Str("Type")));
        Assert.All(result.Output, o => Assert.False(string.IsNullOrEmpty(o.Str("GroupId"))));
        var error = result.SingleError("SiteNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal(missing, error.TargetObject);
        Assert.Contains(missing, error.Exception.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
    }

    [Fact]
    public void AProvisioningSiteIsReportedAsProvisioningOnAnAppOnlyConnectionToo()
    {
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(60);
        try
        {
            using var app = SignedInSessions.AppOnly(_fixture);
            var url = NewUrl("lookup-slow");
            app.RunOk("$null = Add-M365SpoSite -Type CommunicationSite -Title Slow -Url $url -Owners admin@contoso.onmicrosoft.com", new Dictionary<string, object?> { ["url"] = url });
            _fixture.Sandbox.ResetRequestLog();

            var site = Assert.Single(app.RunOk("Get-M365SpoSite $url", new Dictionary<string, object?> { ["url"] = url }).Output);

            Assert.Equal("Provisioning", site.Str("Status"));
            Assert.Equal(url, site.Str("Url"));
            Assert.Null(site.Prop("Template"));
            Assert.Null(site.Prop("Created"));
            // While it provisions, only the status is asked: the site itself answers 404 until it is ready.
            Assert.Equal(new[] { "GET /_api/SPSiteManager/status" }, SharePointCalls());
            Assert.All(_fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest), e => Assert.Equal("app", e.IdentityType));
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void ASiteWhoseProvisioningFailedIsReportedAsFailedNotMissing()
    {
        using var session = SignedIn();
        var url = NewUrl("lookup-failed");
        _fixture.Sandbox.Services.GetRequiredService<SiteStore>().FailNextCreation(url);
        session.RunOk("$null = Add-M365SpoSite -Type CommunicationSite -Title Failing -Url $url", new Dictionary<string, object?> { ["url"] = url });

        var site = Assert.Single(session.RunOk("Get-M365SpoSite $url", new Dictionary<string, object?> { ["url"] = url }).Output);

        Assert.Equal("Failed", site.Str("Status"));
        Assert.Equal(url, site.Str("Url"));
    }

    [Fact]
    public void AURLOffTheTenantIsRefusedBeforeAnyRequest()
    {
        using var session = SignedIn();
        var result = session.Run("Get-M365SpoSite -Url https://evil.example/sites/x, 'https://contoso.sharepoint.com/sites/x?a=1'");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("SiteParameterInvalid,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.Equal("https://evil.example/sites/x", result.Errors[0].TargetObject);
        Assert.Contains("[SiteUrlOnTenant]", result.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest);
    }

    [Fact]
    public void SiteCreationTimedOutNamesTheGetM365SpoSiteCommandThatExists()
    {
        using var session = SignedIn();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(60);
        try
        {
            var url = NewUrl("lookup-timeout");
            var result = session.Run("Add-M365SpoSite -Type CommunicationSite -Title Slow -Url $url -Wait -Timeout 1", new Dictionary<string, object?> { ["url"] = url });

            var action = result.SingleError("SiteCreationTimedOut", ErrorCategory.OperationTimeout).ErrorDetails!.RecommendedAction;
            Assert.Contains($"Get-M365SpoSite -Url {url}", action, StringComparison.Ordinal);
            Assert.DoesNotContain("check later", action, StringComparison.OrdinalIgnoreCase);
            var named = session.RunOk($"Get-M365SpoSite -Url {url}").Output.Single();
            Assert.Equal("Provisioning", named.Str("Status"));
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task StoppingAWaitWarnsWithEverySubmittedSiteStillProvisioningAndTheCommandToCheckThem()
    {
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(120);
        try
        {
            using var session = SignedIn();
            var urls = new[] { NewUrl("stop-a"), NewUrl("stop-b") };
            using var ps = PowerShell.Create();
            ps.Runspace = session.Runspace;
            session.Runspace.SessionStateProxy.SetVariable("urls", urls);
            ps.AddScript("$urls | ForEach-Object { [pscustomobject]@{ Type = 'CommunicationSite'; Title = 'Stop'; Url = $_ } } | Add-M365SpoSite -Wait");
            // Both sites are submitted and waited for once the progress bar counts two.
            var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ps.Streams.Progress.DataAdded += (_, e) =>
            {
                if (ps.Streams.Progress[e.Index].StatusDescription.StartsWith("0 of 2 sites", StringComparison.Ordinal))
                {
                    waiting.TrySetResult();
                }
            };
            var invocation = ps.BeginInvoke();
            await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(2, _fixture.Sandbox.GetRequestLog().Count(e => e.Path == "/_api/SPSiteManager/Create"));
            await Task.Factory.FromAsync(ps.BeginStop(null, null), ps.EndStop);

            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
            var warning = session.Host.Text.Split('\n').Single(line => line.StartsWith("WARNING: Stopped while", StringComparison.Ordinal));
            Assert.Contains("2 submitted site(s) were still provisioning", warning, StringComparison.Ordinal);
            Assert.Contains($"Get-M365SpoSite -Url '{urls[0]}', '{urls[1]}'", warning, StringComparison.Ordinal);

            // The command the warning names works as written.
            var command = warning[(warning.IndexOf("Get-M365SpoSite", StringComparison.Ordinal))..].Trim();
            var checkedSites = session.RunOk(command).Output;
            Assert.Equal(urls, checkedSites.Select(s => s.Str("Url")));
            Assert.All(checkedSites, s => Assert.Equal("Provisioning", s.Str("Status")));
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void TheProgressBarShowsThePercentageTheWaitingURLsAndTheTimeElapsed()
    {
        using var session = SignedIn();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(2);
        try
        {
            var urls = Enumerable.Range(0, 5).Select(i => NewUrl($"progress{i}")).ToArray();
            var result = session.RunOk("$urls | ForEach-Object { [pscustomobject]@{ Type = 'CommunicationSite'; Title = 'Progress'; Url = $_ } } | Add-M365SpoSite -Wait", new Dictionary<string, object?> { ["urls"] = urls });

            Assert.Equal(5, result.Output.Count);
            var updates = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(updates);
            Assert.All(updates, p => Assert.Matches(@"^\d+ of \d+ sites done \(\d+ %\), \d+ s elapsed$", p.StatusDescription));
            Assert.Contains(updates, p => p.StatusDescription.StartsWith("0 of 5 sites done (0 %)", StringComparison.Ordinal));
            var first = updates.Last(p => p.StatusDescription.StartsWith("0 of 5", StringComparison.Ordinal));
            Assert.Equal($"Waiting for {urls[0]}, {urls[1]}, {urls[2]} and 2 more.", first.CurrentOperation);
            Assert.All(updates, p => Assert.Equal(int.Parse(System.Text.RegularExpressions.Regex.Match(p.StatusDescription, @"\((\d+) %\)").Groups[1].Value), p.PercentComplete));
            Assert.Contains(updates, p => p.StatusDescription.StartsWith("5 of 5 sites done (100 %)", StringComparison.Ordinal) || p.PercentComplete > 0);
            Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void AnAppOnlyCommunicationSiteWithoutOwnersIsRefusedBeforeSending()
    {
        using var app = SignedInSessions.AppOnly(_fixture);
        var url = NewUrl("apponly-owner");
        var result = app.Run("Add-M365SpoSite -Type CommunicationSite -Title NoOwner -Url $url", new Dictionary<string, object?> { ["url"] = url });

        var error = result.SingleError("SiteParameterInvalid", ErrorCategory.InvalidArgument);
        Assert.Contains("[AppOnlyCommunicationSiteNeedsOwner]", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-Owners", error.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(url, error.TargetObject);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest);
    }

    [Fact]
    public void LanguageTimeZoneAndTemplateCompleteSharePointsValues()
    {
        using var session = new PowerShellSession();
        Assert.Equal(new[] { "4" }, session.Complete("Add-M365SpoSite -Type ClassicSite -TimeZone Amst"));
        Assert.Equal(new[] { "4", "40", "41", "42", "43", "44", "45", "46", "47", "48", "49" }, session.Complete("Add-M365SpoSite -Type ClassicSite -TimeZone 4"));
        Assert.Equal(new[] { "13", "78" }, session.Complete("Add-M365SpoSite -Type ClassicSite -TimeZone Pacific").Concat(session.Complete("Add-M365SpoSite -Type ClassicSite -TimeZone Tijuana")).ToArray());
        Assert.Equal(new[] { "1031" }, session.Complete("Add-M365SpoSite -Type CommunicationSite -Title T -Url u -Lcid German"));
        Assert.Contains("1033", session.Complete("Add-M365SpoSite -Type CommunicationSite -Lcid 103"));
        Assert.Equal(new[] { "'STS#0'", "'STS#3'", "'STS#1'" }, session.Complete("Add-M365SpoSite -Type ClassicSite -WebTemplate STS"));
        Assert.Contains("'SITEPAGEPUBLISHING#0'", session.Complete("Add-M365SpoSite -Type ClassicSite -WebTemplate Communication"));
    }
}
