using System.Collections.Concurrent;
using System.Diagnostics;
using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.SharePoint;
using M365.Sandbox.Control;

namespace M365.Core.Tests.Services;

/// <summary>Site creation against a sandbox tenant whose sites take 2 s (real time) to provision, signed in as a user.</summary>
public sealed class SiteCreationClientTests : IClassFixture<DelegatedSiteFixture>
{
    private const string Tenant = "https://contoso.sharepoint.com";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DelegatedSiteFixture _fixture;
    private readonly SiteCreationClient _client;

    public SiteCreationClientTests(DelegatedSiteFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new SiteCreationClient(fixture.Connection) { PollInterval = TimeSpan.FromMilliseconds(200) };
    }

    private static string NewUrl(string prefix) => $"{Tenant}/sites/{prefix}-{Guid.NewGuid():N}";

    private static SiteCreationRequest Communication(string url) => new(SpoSiteType.CommunicationSite) { Title = "News", Url = url, SiteDesign = CommunicationSiteDesign.Showcase, Lcid = 1033 };

    private IReadOnlyList<RequestLogEntry> Calls(string path) => _fixture.Sandbox.GetRequestLog().Where(e => e.Path == path).ToList();

    [Fact]
    public async Task CommunicationSiteIsProvisioningThenReady()
    {
        string url = NewUrl("comm");

        SpoSite site = await _client.SubmitAsync(Communication(url));
        SpoSiteStatus first = site.Status;
        SpoSite ready = await _client.WaitAsync(site, Timeout);

        Assert.Equal(SpoSiteStatus.Provisioning, first);
        Assert.Equal(SpoSiteStatus.Ready, ready.Status);
        Assert.Equal(url, ready.Url);
        Assert.Equal(SpoSiteType.CommunicationSite, ready.Type);
        Assert.Equal("News", ready.Title);
        Assert.NotNull(ready.SiteId);
        Assert.Single(Calls("/_api/SPSiteManager/Create"));
    }

    [Fact]
    public async Task TeamSiteCreatesAGroupAndBecomesReady()
    {
        string alias = "team" + Guid.NewGuid().ToString("N").Substring(0, 10);
        var request = new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "Team", Alias = alias, IsPublic = true, Description = "d", Owners = { "admin@contoso.onmicrosoft.com" } };

        SpoSite site = await _client.SubmitAsync(request);
        SpoSite ready = await _client.WaitAsync(site, Timeout);

        Assert.NotNull(site.GroupId);
        Assert.Equal($"{Tenant}/sites/{alias}", ready.Url);
        Assert.Equal(SpoSiteStatus.Ready, ready.Status);
        Assert.NotEmpty(Calls($"/_api/GroupSiteManager/GetSiteStatus('{site.GroupId}')"));
    }

    [Fact]
    public async Task ClassicSiteIsCreatedWithCsomAndItsOperationPolled()
    {
        string url = NewUrl("classic");
        var request = new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "Classic", Url = url, Owners = { "admin@contoso.onmicrosoft.com" }, TimeZone = 4, StorageQuota = 200, StorageQuotaWarningLevel = 100 };

        SpoSite site = await _client.SubmitAsync(request);
        SpoSite ready = await _client.WaitAsync(site, Timeout);

        Assert.Equal(SpoSiteStatus.Ready, ready.Status);
        Assert.Equal(SpoSiteType.ClassicSite, ready.Type);
        Assert.True(_fixture.Sandbox.GetRequestLog().Count(e => e.Host == "contoso-admin.sharepoint.com" && e.Path == "/_vti_bin/client.svc/ProcessQuery") >= 2);
    }

    [Fact]
    public async Task BrokenRulesAreNamedAndNothingIsSent()
    {
        var requests = new[]
        {
            (new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T" }, "[TeamSiteNeedsAlias]"),
            (new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T", Alias = "a", Url = NewUrl("x") }, "[TeamSiteOptions] -Url"),
            (new SiteCreationRequest(SpoSiteType.CommunicationSite) { Title = "C", Url = NewUrl("c"), SiteDesign = CommunicationSiteDesign.Blank, SiteDesignId = Guid.NewGuid() }, "[SiteDesignExclusive]"),
            (new SiteCreationRequest(SpoSiteType.CommunicationSite) { Title = "C", Url = NewUrl("c"), Owners = { "a@x", "b@x" } }, "[CommunicationSiteOneOwner]"),
            (new SiteCreationRequest(SpoSiteType.CommunicationSite) { Title = "C" }, "[CommunicationSiteNeedsUrl]"),
            (new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "K", Url = NewUrl("k"), Owners = { "a@x" } }, "[ClassicSiteNeedsTimeZone]"),
            (new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "K", Url = NewUrl("k"), Owners = { "a@x" }, TimeZone = 4, StorageQuota = 10, StorageQuotaWarningLevel = 20 }, "[StorageWarningWithinQuota]"),
            (new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "K", Url = NewUrl("k"), Owners = { "a@x" }, TimeZone = 4, ResourceQuota = 1, ResourceQuotaWarningLevel = 2 }, "[ResourceWarningWithinQuota]"),
            (new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "K", Url = NewUrl("k"), TimeZone = 4 }, "[ClassicSiteOneOwner]"),
            (new SiteCreationRequest(SpoSiteType.CommunicationSite) { Url = NewUrl("c") }, "[SiteNeedsTitle]"),
        };

        foreach ((SiteCreationRequest request, string rule) in requests)
        {
            var error = await Assert.ThrowsAsync<M365Exception>(() => _client.SubmitAsync(request));
            Assert.Equal(ServiceErrorIds.SiteParameterInvalid, error.ErrorId);
            Assert.Contains(rule, error.Message);
            Assert.Same(request, error.Target);
        }

        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public async Task AnExistingUrlOrAliasIsSiteAlreadyExists()
    {
        string url = NewUrl("dup");
        await _client.SubmitAsync(Communication(url));
        string alias = "dup" + Guid.NewGuid().ToString("N").Substring(0, 10);
        await _client.SubmitAsync(new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T", Alias = alias });
        var classicAtSameUrl = new SiteCreationRequest(SpoSiteType.ClassicSite) { Title = "K", Url = url, Owners = { "admin@contoso.onmicrosoft.com" }, TimeZone = 4 };

        var commError = await Assert.ThrowsAsync<M365ServiceException>(() => _client.SubmitAsync(Communication(url)));
        var teamError = await Assert.ThrowsAsync<M365ServiceException>(() => _client.SubmitAsync(new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T", Alias = alias }));
        var classicError = await Assert.ThrowsAsync<M365ServiceException>(() => _client.SubmitAsync(classicAtSameUrl));

        Assert.Equal(ServiceErrorIds.SiteAlreadyExists, commError.ErrorId);
        Assert.Equal(ServiceErrorIds.SiteAlreadyExists, teamError.ErrorId);
        Assert.Equal(ServiceErrorIds.SiteAlreadyExists, classicError.ErrorId);
        Assert.Same(classicAtSameUrl, classicError.Target);
        Assert.Single(Calls("/_api/SPSiteManager/Create"));
    }

    [Fact]
    public async Task ACreateThatTimesOutAfterSharePointActedIsNotSentAgain()
    {
        string url = NewUrl("slow");
        _fixture.Sandbox.InjectFault(new FaultRule { Path = "/_api/SPSiteManager/Create", Method = "POST", Kind = FaultKind.LatencyAfterAction, LatencyMilliseconds = 4000, Times = 1 });
        var verbose = new ConcurrentQueue<string>();
        var sender = ResourceRequestSender.Create(_fixture.Connection, new HttpRetryOptions { PerAttemptTimeout = TimeSpan.FromSeconds(1) }).WithVerbose(verbose.Enqueue);
        var client = new SiteCreationClient(_fixture.Connection, sender) { PollInterval = TimeSpan.FromMilliseconds(200) };

        SpoSite site = await client.SubmitAsync(Communication(url));
        SpoSite ready = await client.WaitAsync(site, Timeout);

        Assert.Single(Calls("/_api/SPSiteManager/Create"));
        Assert.Equal(SpoSiteStatus.Ready, ready.Status);
        Assert.Contains(verbose, line => line.Contains("not sent again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACreateThatTimesOutBeforeSharePointActedIsSentOnceMore()
    {
        string url = NewUrl("lost");
        _fixture.Sandbox.InjectFault(new FaultRule { Path = "/_api/SPSiteManager/Create", Method = "POST", Kind = FaultKind.Latency, LatencyMilliseconds = 4000, Times = 1 });
        var sender = ResourceRequestSender.Create(_fixture.Connection, new HttpRetryOptions { PerAttemptTimeout = TimeSpan.FromSeconds(1) });
        var client = new SiteCreationClient(_fixture.Connection, sender);

        SpoSite site = await client.SubmitAsync(Communication(url));

        Assert.Equal(2, Calls("/_api/SPSiteManager/Create").Count);
        Assert.Equal(url, site.Url);
        Assert.Equal(1, _fixture.Sandbox.GetRequestLog().Count(e => e.Path == "/_api/SPSiteManager/Create" && e.Status == 200 && e.FaultId is null));
    }

    [Fact]
    public async Task TwoHundredSitesWaitedForTogetherTakeAboutAsLongAsTheSlowest()
    {
        var tracker = new SiteProvisioningTracker(_client, Timeout);
        var watch = Stopwatch.StartNew();
        string batch = Guid.NewGuid().ToString("N").Substring(0, 8);
        for (int i = 0; i < 200; i++)
        {
            tracker.Add(await _client.SubmitAsync(Communication($"{Tenant}/sites/many-{batch}-{i}")));
        }

        var ready = new List<SiteWaitResult>();
        await foreach (SiteWaitResult result in tracker.WaitAllAsync())
        {
            ready.Add(result);
        }

        watch.Stop();
        Assert.Equal(200, ready.Count);
        Assert.All(ready, r => Assert.Equal(SpoSiteStatus.Ready, r.Site.Status));
        Assert.Equal(200, ready.Select(r => r.Site.Url).Distinct().Count());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"200 sites took {watch.Elapsed}.");
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public async Task AWaitThatRunsOutIsSiteCreationTimedOut()
    {
        SpoSite site = await _client.SubmitAsync(Communication(NewUrl("late")));

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.WaitAsync(site, TimeSpan.FromMilliseconds(300)));

        Assert.Equal(ServiceErrorIds.SiteCreationTimedOut, error.ErrorId);
        Assert.Equal(SpoSiteStatus.Provisioning, site.Status);
    }
}
