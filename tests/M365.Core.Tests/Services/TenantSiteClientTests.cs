using M365.Core.Connections;
using M365.Core.Services;
using M365.Core.Services.SharePoint;
using M365.Core.Tests.Integration;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Services;

/// <summary>A small app-only sandbox whose connections can run on a fake clock.</summary>
public sealed class SiteClockFixture : SandboxConnectionFixture
{
    protected override int ServicePrincipalCount => 10;

    public SiteStore Sites => Sandbox.Services.GetRequiredService<SiteStore>();

    public Task<Connection> ConnectAsync(TimeProvider time) => new ConnectionFactory(Transport, time).ConnectAsync(SignIn());
}

/// <summary>
/// TenantSiteClient's wait for a removal: paced and bounded on the connection's clock (a fake one here), cancellable at
/// once, and refusing the tenant's root and admin sites before any request.
/// </summary>
public sealed class TenantSiteClientTests : IClassFixture<SiteClockFixture>
{
    private readonly SiteClockFixture _fixture;

    public TenantSiteClientTests(SiteClockFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private string NewSite()
    {
        var url = $"https://contoso.sharepoint.com/sites/wait-{Guid.NewGuid():N}";
        _fixture.Sites.Create(new SiteCreationSpec(url, "Wait", "SITEPAGEPUBLISHING#0", "admin@contoso.onmicrosoft.com"));
        return url;
    }

    [Fact]
    public async Task The_wait_polls_on_the_connections_clock_and_ends_with_SiteOperationTimedOut_after_MaxWait()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new TenantSiteClient(await _fixture.ConnectAsync(clock)) { PollInterval = TimeSpan.FromSeconds(2), MaxWait = TimeSpan.FromSeconds(10) };
        _fixture.Sites.OperationDelay = TimeSpan.FromHours(1);
        try
        {
            var operation = await client.RemoveAsync(NewSite());
            Assert.False(operation.IsComplete);
            var polls = 0;
            var wait = client.WaitAsync(operation, _ => Interlocked.Increment(ref polls));

            // Nothing is polled until the clock moves: the pause is on the connection's clock, not the wall clock.
            await Task.Delay(200);
            Assert.Equal(0, Volatile.Read(ref polls));
            for (var i = 0; i < 20 && !wait.IsCompleted; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(2));
                await Task.WhenAny(wait, Task.Delay(300));
            }

            var error = await Assert.ThrowsAsync<M365ServiceException>(() => wait);
            Assert.Equal(ServiceErrorIds.SiteOperationTimedOut, error.ErrorId);
            Assert.Equal(operation.Url, error.Target);
            Assert.InRange(Volatile.Read(ref polls), 3, 5);
        }
        finally
        {
            _fixture.Sites.OperationDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Cancelling_the_wait_ends_it_at_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new TenantSiteClient(await _fixture.ConnectAsync(clock));
        _fixture.Sites.OperationDelay = TimeSpan.FromHours(1);
        try
        {
            var operation = await client.RemoveAsync(NewSite());
            using var cancel = new CancellationTokenSource();
            var wait = client.WaitAsync(operation, null, cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }
        finally
        {
            _fixture.Sites.OperationDelay = TimeSpan.Zero;
        }
    }

    [Theory]
    [InlineData("https://contoso.sharepoint.com")]
    [InlineData("https://contoso.sharepoint.com/")]
    [InlineData("https://CONTOSO-ADMIN.sharepoint.com/sites/anything")]
    public async Task The_root_and_admin_sites_are_refused_before_any_request(string url)
    {
        var client = new TenantSiteClient(_fixture.Connection);
        _ = await client.GetAsync("https://contoso.sharepoint.com");
        _fixture.Sandbox.ResetRequestLog();

        var error = await Assert.ThrowsAsync<M365Exception>(() => client.RemoveAsync(url));
        var purge = await Assert.ThrowsAsync<M365Exception>(() => client.RemoveDeletedAsync(url));

        Assert.Equal(ServiceErrorIds.SiteRemovalRefused, error.ErrorId);
        Assert.Equal(ServiceErrorIds.SiteRemovalRefused, purge.ErrorId);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest && e.Method != "GET");
    }
}
