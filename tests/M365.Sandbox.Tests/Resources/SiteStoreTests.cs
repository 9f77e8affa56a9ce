using M365.Sandbox.Graph;
using M365.Sandbox.Hosting;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.Time.Testing;

namespace M365.Sandbox.Tests.Resources;

public sealed class SiteStoreTests
{
    private readonly FakeTimeProvider _clock = new();

    private SiteStore Store(TimeSpan delay) =>
        new(new TenantProfile(new SandboxOptions { TenantName = "contoso", TimeProvider = _clock }), delay);

    private static SiteCreationSpec Spec(string url) => new(url, "T", "STS#0", "admin@contoso.onmicrosoft.com");

    [Fact]
    public void Without_a_delay_a_site_is_ready_at_once()
    {
        var store = Store(TimeSpan.Zero);
        var creation = store.Create(Spec("https://contoso.sharepoint.com/sites/a"));
        Assert.True(creation.Created);
        Assert.Equal(SiteStatus.Ready, store.StatusOf(creation.Site));
    }

    [Fact]
    public void With_a_delay_a_site_moves_from_provisioning_to_ready_on_the_clock()
    {
        var store = Store(TimeSpan.FromMinutes(2));
        var site = store.Create(Spec("https://contoso.sharepoint.com/sites/a")).Site;
        Assert.Equal(SiteStatus.Provisioning, store.StatusOf(site));
        _clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(SiteStatus.Provisioning, store.StatusOf(site));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SiteStatus.Ready, store.StatusOf(site));
    }

    [Fact]
    public void Urls_match_whatever_their_case_or_trailing_slash_and_existing_sites_are_returned()
    {
        var store = Store(TimeSpan.Zero);
        var first = store.Create(Spec("https://contoso.sharepoint.com/sites/Mixed"));
        var second = store.Create(Spec("https://CONTOSO.sharepoint.com/sites/mixed/"));
        Assert.False(second.Created);
        Assert.Equal(first.Site.SiteId, second.Site.SiteId);
        Assert.True(store.TryGet("https://contoso.sharepoint.com/sites/MIXED", out _));
    }

    [Fact]
    public void FailNextCreation_fails_one_creation_of_that_url_only()
    {
        var store = Store(TimeSpan.Zero);
        store.FailNextCreation("https://contoso.sharepoint.com/sites/broken");
        var failed = store.Create(Spec("https://contoso.sharepoint.com/sites/broken"));
        Assert.Equal(SiteStatus.Error, store.StatusOf(failed.Site));
        Assert.Equal(SiteStatus.Ready, store.StatusOf(store.Create(Spec("https://contoso.sharepoint.com/sites/other")).Site));
        var retried = store.Create(Spec("https://contoso.sharepoint.com/sites/broken"));
        Assert.True(retried.Created);
        Assert.Equal(SiteStatus.Ready, store.StatusOf(retried.Site));
    }

    [Fact]
    public void A_site_is_found_by_its_operation_identity()
    {
        var store = Store(TimeSpan.Zero);
        var site = store.Create(Spec("https://contoso.sharepoint.com/sites/op")).Site;
        Assert.True(store.TryGetByOperation(site.OperationId, out var found));
        Assert.Equal(site.SiteId, found.SiteId);
        Assert.False(store.TryGetByOperation(site.OperationId + "x", out _));
    }

    [Fact]
    public void The_root_sites_are_seeded()
    {
        var store = Store(TimeSpan.FromHours(1));
        Assert.True(store.TryGet("https://contoso.sharepoint.com", out var root));
        Assert.Equal(SiteStatus.Ready, store.StatusOf(root));
        Assert.True(store.TryGet("https://contoso-admin.sharepoint.com/", out _));
    }
}
