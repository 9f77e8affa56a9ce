using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Module.Tests;

/// <summary>
/// Get-M365SpoSite's tenant listing, Remove-M365SpoSite and Restore-M365SpoSite against the sandbox's admin host, checked
/// against its request log: paging by NextStartIndexFromSharePoint, the filter, OneDrive sites, a group's site removed through
/// Graph, the SpoOperation polled with progress, the recycle bin, and what is refused before anything is sent.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SiteLifecycleTests
{
    private const string ProcessQuery = "POST /_vti_bin/client.svc/ProcessQuery";
    private readonly SandboxFixture _fixture;

    public SiteLifecycleTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        _fixture.Sandbox.SiteOperationDelay = TimeSpan.Zero;
        _fixture.Sandbox.SiteListPageSize = 300;
    }

    private static string Tag() => "life" + Guid.NewGuid().ToString("N")[..10];

    private PowerShellSession SignedIn() => SignedInSessions.Admin(_fixture, "Graph, SharePoint, SharePointAdmin");

    private List<string> Calls() =>
        _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest && e.Host != "login.microsoftonline.com").Select(e => e.Method + " " + e.Path).ToList();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private static void AddCommunicationSites(PowerShellSession session, string tag, int count) =>
        session.RunOk("1..$count | ForEach-Object { $null = Add-M365SpoSite -Type CommunicationSite -Title \"$tag $_\" -Url \"https://contoso.sharepoint.com/sites/$tag-$_\" }", Vars(("tag", tag), ("count", count)));

    [Fact]
    public void TheListingPagesByNextStartIndexAndSharePointAppliesTheFilter()
    {
        using var session = SignedIn();
        var tag = Tag();
        AddCommunicationSites(session, tag, 5);
        _fixture.Sandbox.SiteListPageSize = 2;
        _fixture.Sandbox.ResetRequestLog();

        var sites = session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output;

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"https://contoso.sharepoint.com/sites/{tag}-{i}"), sites.Select(s => s.Str("Url")));
        Assert.All(sites, s => Assert.Equal("M365.SpoSite", s.TypeNames[0]));
        Assert.All(sites, s => Assert.Equal("CommunicationSite", s.Str("Type")));
        Assert.All(sites, s => Assert.Equal("admin@contoso.onmicrosoft.com", s.Str("Owner")));
        Assert.All(sites, s => Assert.Equal("Unlock", s.Str("LockState")));
        Assert.All(sites, s => Assert.Equal("ExternalUserSharingOnly", s.Str("SharingCapability")));
        Assert.All(sites, s => Assert.NotNull(s.Prop("StorageQuotaMB")));
        Assert.All(sites, s => Assert.IsType<DateTimeOffset>(s.Prop("Created")));
        Assert.Equal(Enumerable.Repeat(ProcessQuery, 3), Calls().Where(c => c.Contains("ProcessQuery", StringComparison.Ordinal)));

        // Streamed: the first page is enough for Select-Object -First 2, so no second page is asked for.
        _fixture.Sandbox.ResetRequestLog();
        Assert.Equal(2, session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\" | Select-Object -First 2", Vars(("tag", tag))).Output.Count);
        Assert.Single(Calls(), c => c == ProcessQuery);
    }

    [Fact]
    public void TypeTemplateAndOneDriveSitesChooseWhatIsListed()
    {
        using var session = SignedIn();
        var tag = Tag();
        AddCommunicationSites(session, tag, 1);
        session.RunOk("$null = Add-M365SpoSite -Type TeamSite -Title 'Team' -Alias $tag", Vars(("tag", tag)));

        var all = session.RunOk("Get-M365SpoSite").Output.Select(s => s.Str("Url")!).ToList();
        Assert.Contains("https://contoso.sharepoint.com", all);
        Assert.Contains($"https://contoso.sharepoint.com/sites/{tag}", all);
        Assert.DoesNotContain(all, u => u.Contains("/personal/", StringComparison.Ordinal));

        var withOneDrive = session.RunOk("Get-M365SpoSite -IncludeOneDriveSites").Output;
        Assert.Contains(withOneDrive, s => s.Str("Url") == "https://contoso-my.sharepoint.com/personal/admin_contoso_onmicrosoft_com" && s.Str("Template") == "SPSPERS#10");

        var teams = session.RunOk("Get-M365SpoSite -Type TeamSite").Output;
        Assert.NotEmpty(teams);
        Assert.All(teams, s => Assert.Equal("GROUP#0", s.Str("Template")));
        Assert.Contains(teams, s => s.Str("Url") == $"https://contoso.sharepoint.com/sites/{tag}" && !string.IsNullOrEmpty(s.Str("GroupId")));
        Assert.All(session.RunOk("Get-M365SpoSite -Template SITEPAGEPUBLISHING#0").Output, s => Assert.Equal("CommunicationSite", s.Str("Type")));

        var both = session.Run("Get-M365SpoSite -Type TeamSite -IncludeOneDriveSites");
        both.SingleError("SiteParameterInvalid", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void AFilterSharePointRefusesIsSiteFilterInvalid()
    {
        using var session = SignedIn();
        var result = session.Run("Get-M365SpoSite -Filter \"Colour -eq 'blue'\"");
        var error = result.SingleError("SiteFilterInvalid", ErrorCategory.InvalidArgument);
        Assert.Contains("Colour", error.Text());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void AppOnlyConnectionsListAndReadDetails()
    {
        var tag = Tag();
        using (var user = SignedIn())
        {
            AddCommunicationSites(user, tag, 1);
        }

        using var app = SignedInSessions.AppOnly(_fixture);
        var listed = Assert.Single(app.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output);
        Assert.Equal($"https://contoso.sharepoint.com/sites/{tag}-1", listed.Str("Url"));
        var detailed = Assert.Single(app.RunOk("Get-M365SpoSite -Url $url -Detailed", Vars(("url", listed.Str("Url")))).Output);
        Assert.Equal("admin@contoso.onmicrosoft.com", detailed.Str("Owner"));
        Assert.Equal("Ready", detailed.Str("Status"));
    }

    [Fact]
    public void ACommunicationSiteIsRemovedByRemoveSiteAndPolledWithProgressThenRestored()
    {
        using var session = SignedIn();
        var tag = Tag();
        AddCommunicationSites(session, tag, 1);
        var url = $"https://contoso.sharepoint.com/sites/{tag}-1";
        _fixture.Sandbox.SiteOperationDelay = TimeSpan.FromSeconds(2.5);
        _fixture.Sandbox.ResetRequestLog();

        var removed = session.Run("Get-M365SpoSite -Url $url -Detailed | Remove-M365SpoSite -Confirm:$false", Vars(("url", url)));

        Assert.False(removed.HadErrors, removed.DescribeErrors());
        Assert.Empty(removed.Output);
        var calls = Calls();
        Assert.DoesNotContain(calls, c => c.StartsWith("DELETE", StringComparison.Ordinal));
        // Read (Get), read (Remove), RemoveSite, then at least one poll that said not yet and the one that said complete.
        Assert.True(calls.Count(c => c == ProcessQuery) >= 5, string.Join("\n", calls));
        Assert.Contains(removed.Progress, p => p.Activity == "Remove-M365SpoSite" && p.StatusDescription.Contains(url, StringComparison.Ordinal));
        Assert.Contains(removed.Progress, p => p.Activity == "Remove-M365SpoSite" && p.RecordType == ProgressRecordType.Completed);
        Assert.Empty(session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output);

        _fixture.Sandbox.SiteOperationDelay = TimeSpan.Zero;
        var restored = Assert.Single(session.RunOk("Restore-M365SpoSite -Url $url", Vars(("url", url))).Output);
        Assert.Equal(url, restored.Str("Url"));
        Assert.Equal("Ready", restored.Str("Status"));
        Assert.Single(session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output);
    }

    [Fact]
    public void FromRecycleBinDeletesForGoodAndThenNothingCanBeRestored()
    {
        using var session = SignedIn();
        var tag = Tag();
        AddCommunicationSites(session, tag, 1);
        var url = $"https://contoso.sharepoint.com/sites/{tag}-1";

        session.RunOk("Remove-M365SpoSite $url -Confirm:$false; Remove-M365SpoSite $url -FromRecycleBin -Confirm:$false", Vars(("url", url)));

        var restore = session.Run("Restore-M365SpoSite -Url $url, $url", Vars(("url", url)));
        Assert.Equal(2, restore.Errors.Count);
        Assert.All(restore.Errors, e => Assert.Equal("SiteNotFound,M365.PowerShell.Cmdlets.RestoreM365SpoSiteCommand", e.FullyQualifiedErrorId));
        Assert.All(restore.Errors, e => Assert.Equal(url, e.TargetObject));
        var again = session.Run("Remove-M365SpoSite $url -FromRecycleBin -Confirm:$false", Vars(("url", url)));
        again.SingleError("SiteNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void AGroupsSiteIsRemovedByDeletingItsGroupInGraph()
    {
        using var session = SignedIn();
        var alias = Tag();
        var site = Assert.Single(session.RunOk("Add-M365SpoSite -Type TeamSite -Title 'Doomed' -Alias $alias", Vars(("alias", alias))).Output);
        var groupId = site.Str("GroupId");
        _fixture.Sandbox.ResetRequestLog();

        var removed = session.Run("Remove-M365SpoSite -Url $url -Confirm:$false -Verbose", Vars(("url", site.Str("Url"))));

        Assert.False(removed.HadErrors, removed.DescribeErrors());
        var calls = Calls();
        Assert.Contains($"DELETE /v1.0/groups/{groupId}", calls);
        Assert.Contains(removed.Verbose, v => v.Contains(groupId!, StringComparison.OrdinalIgnoreCase));
        var group = session.Run("Invoke-M365Request -Uri \"https://graph.microsoft.com/v1.0/groups/$id\"", Vars(("id", groupId)));
        Assert.True(group.HadErrors);
        Assert.Empty(session.RunOk("Get-M365SpoSite -Type TeamSite -Filter \"Url -like '$alias'\"", Vars(("alias", alias))).Output);
    }

    [Fact]
    public void WhatIfSendsNothingAndTheRootAndAdminSitesAreRefusedBeforeAnything()
    {
        using var session = SignedIn();
        var tag = Tag();
        AddCommunicationSites(session, tag, 1);
        _fixture.Sandbox.ResetRequestLog();

        var whatIf = session.Run("Remove-M365SpoSite -Url $url -WhatIf; Remove-M365SpoSite -Url $url -FromRecycleBin -WhatIf", Vars(("url", $"https://contoso.sharepoint.com/sites/{tag}-1")));
        Assert.False(whatIf.HadErrors, whatIf.DescribeErrors());
        Assert.Empty(Calls());

        var refused = session.Run(
            "'https://contoso.sharepoint.com', 'https://contoso.sharepoint.com/', 'https://CONTOSO-admin.sharepoint.com', [pscustomobject]@{ Url = 'https://contoso-admin.sharepoint.com/sites/x' } | Remove-M365SpoSite -Confirm:$false");
        Assert.Equal(4, refused.Errors.Count);
        Assert.All(refused.Errors, e => Assert.Equal("SiteRemovalRefused,M365.PowerShell.Cmdlets.RemoveM365SpoSiteCommand", e.FullyQualifiedErrorId));
        Assert.All(refused.Errors, e => Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category));
        Assert.Equal("https://contoso.sharepoint.com", refused.Errors[0].TargetObject);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("POST", StringComparison.Ordinal) || c.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Single(session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output);
    }

    [Fact]
    public void AddSendsTheLabelAndTheGeoAndJoinsTheHubOnceTheSiteIsReady()
    {
        using var session = SignedIn();
        var tag = Tag();
        var label = Guid.NewGuid();
        var store = _fixture.Sandbox.Services.GetRequiredService<SiteStore>();
        var hubUrl = $"https://contoso.sharepoint.com/sites/{tag}-hub";
        session.RunOk("$null = Add-M365SpoSite -Type CommunicationSite -Title Hub -Url $hub", Vars(("hub", hubUrl)));
        Assert.True(store.TryGet(hubUrl, out var hubSite));
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(1);

        var news = Assert.Single(session.RunOk(
            "Add-M365SpoSite -Type CommunicationSite -Title News -Url $url -SensitivityLabel $label -HubSiteId $hub",
            Vars(("url", $"https://contoso.sharepoint.com/sites/{tag}-news"), ("label", label), ("hub", hubSite.SiteId))).Output);
        var team = Assert.Single(session.RunOk(
            "Add-M365SpoSite -Type TeamSite -Title Team -Alias $alias -SensitivityLabel $label -PreferredDataLocation eur -HubSiteId $hub -Wait",
            Vars(("alias", tag + "-team"), ("label", label), ("hub", hubSite.SiteId))).Output);

        // Without -Wait too, the hub waits for the site to be ready: both come out Ready and joined.
        Assert.Equal("Ready", news.Str("Status"));
        Assert.Equal(hubSite.SiteId.ToString(), news.Str("HubSiteId"));
        Assert.Equal(hubSite.SiteId.ToString(), team.Str("HubSiteId"));
        Assert.True(store.TryGet(news.Str("Url")!, out var newsSite));
        Assert.True(store.TryGet(team.Str("Url")!, out var teamSite));
        Assert.Equal((label, null), (newsSite.Spec.SensitivityLabel, newsSite.Spec.PreferredDataLocation));
        Assert.Equal((label, "EUR"), (teamSite.Spec.SensitivityLabel, teamSite.Spec.PreferredDataLocation));
        Assert.Equal(hubSite.SiteId, store.HubOf(newsSite.Url));
        Assert.Contains(Calls(), c => c == $"POST /sites/{tag}-news/_api/site/JoinHubSite('{hubSite.SiteId}')");
        var detailed = Assert.Single(session.RunOk("Get-M365SpoSite -Url $url -Detailed", Vars(("url", team.Str("Url")))).Output);
        Assert.Equal(hubSite.SiteId.ToString(), detailed.Str("HubSiteId"));
    }

    [Fact]
    public void AnUnknownHubIsSiteOperationFailedAndAClassicSiteTakesNoLabel()
    {
        using var session = SignedIn();
        var tag = Tag();
        var url = $"https://contoso.sharepoint.com/sites/{tag}-orphan";
        var result = session.Run("Add-M365SpoSite -Type CommunicationSite -Title Orphan -Url $url -HubSiteId $hub", Vars(("url", url), ("hub", Guid.NewGuid())));
        var error = result.SingleError("SiteOperationFailed", ErrorCategory.InvalidResult);
        Assert.Contains("do not create it again", error.Text());
        Assert.Single(session.RunOk("Get-M365SpoSite -Filter \"Url -like '$tag'\"", Vars(("tag", tag))).Output);

        _fixture.Sandbox.ResetRequestLog();
        var geo = session.Run("Add-M365SpoSite -Type TeamSite -Title Geo -Alias $alias -PreferredDataLocation Europe", Vars(("alias", tag)));
        Assert.Contains("[PreferredDataLocationCode]", geo.SingleError("SiteParameterInvalid", ErrorCategory.InvalidArgument).Text());
        // Only a team site's request takes a geo, and a classic site's takes no label: PowerShell refuses the others.
        Assert.True(session.Run("Add-M365SpoSite -Type CommunicationSite -Title Geo -Url $url -PreferredDataLocation EUR", Vars(("url", url + "2"))).HadErrors);
        Assert.True(session.Run("Add-M365SpoSite -Type ClassicSite -Title Old -Url $url -Owners admin@contoso.onmicrosoft.com -TimeZone 4 -SensitivityLabel $label", Vars(("url", url + "3"), ("label", Guid.NewGuid()))).HadErrors);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("POST", StringComparison.Ordinal));
    }
}
