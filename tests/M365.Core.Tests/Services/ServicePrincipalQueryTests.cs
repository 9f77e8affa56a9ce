using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Graph;
using M365.Sandbox.Control;

namespace M365.Core.Tests.Services;

/// <summary>Graph's query options on a service principal listing, against a large sandbox tenant.</summary>
public sealed class ServicePrincipalQueryTests : IClassFixture<LargeTenantFixture>
{
    private readonly LargeTenantFixture _fixture;
    private readonly ServicePrincipalClient _client;

    public ServicePrincipalQueryTests(LargeTenantFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServicePrincipalClient(fixture.Connection);
    }

    private List<RequestLogEntry> Listings() =>
        _fixture.Sandbox.GetRequestLog().Where(e => e.Path == "/v1.0/servicePrincipals" && !e.IsTokenRequest).ToList();

    private async Task<List<ServicePrincipal>> ListAsync(ServicePrincipalQuery query, string? filter = null, Action<long>? onCount = null)
    {
        var list = new List<ServicePrincipal>();
        await foreach (ServicePrincipal sp in _client.ListAsync(filter, new[] { "id", "displayName" }, query, onCount))
        {
            list.Add(sp);
        }

        return list;
    }

    [Theory]
    [InlineData(999, 1)]
    [InlineData(1000, 2)]
    [InlineData(2500, 3)]
    public async Task TopReadsExactlyThatManyAndNoPageAfterTheOneHoldingTheLast(int top, int pages)
    {
        await ListAsync(new ServicePrincipalQuery { Top = 1 });
        _fixture.Reset();

        var read = await ListAsync(new ServicePrincipalQuery { Top = top });

        Assert.Equal(top, read.Count);
        Assert.Equal(pages, Listings().Count);
        Assert.Contains("$top=999", Uri.UnescapeDataString(Listings()[0].Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountComesFromTheFirstPageBeforeItsItemsWithEventualConsistency()
    {
        long? count = null;
        int itemsBeforeCount = -1;
        var read = new List<ServicePrincipal>();
        await foreach (ServicePrincipal sp in _client.ListAsync("startswith(displayName,'Office')", null, new ServicePrincipalQuery { Count = true, Sort = new[] { "displayName" } }, c => { count = c; itemsBeforeCount = read.Count; }))
        {
            read.Add(sp);
        }

        Assert.Equal(read.Count, count);
        Assert.Equal(0, itemsBeforeCount);
        Assert.Equal(read.Select(sp => sp.DisplayName).OrderBy(n => n, StringComparer.OrdinalIgnoreCase), read.Select(sp => sp.DisplayName));
    }

    [Fact]
    public void TheQueryStringAndWhenItIsAnAdvancedQuery()
    {
        var search = new ServicePrincipalQuery { Search = "Share\"Point", Sort = new[] { "displayName DESC" }, Expand = new[] { "appRoleAssignedTo" } };

        Assert.Equal("\"displayName:Share\\\"Point\"", ServicePrincipalQuery.SearchClause("Share\"Point"));
        Assert.Equal("\"description:x\"", ServicePrincipalQuery.SearchClause("description:x"));
        Assert.Equal("&$search=\"displayName:Share\\\"Point\"&$orderby=displayName desc&$expand=appRoleAssignedTo&$count=true", Uri.UnescapeDataString(search.Options(hasFilter: false)));
        Assert.True(search.NeedsEventualConsistency(hasFilter: false));
        Assert.False(new ServicePrincipalQuery { Sort = new[] { "displayName" } }.NeedsEventualConsistency(hasFilter: false));
        Assert.True(new ServicePrincipalQuery { Sort = new[] { "displayName" } }.NeedsEventualConsistency(hasFilter: true));
        Assert.Equal(HttpErrorIds.BadRequest, Assert.Throws<M365Exception>(() => new ServicePrincipalQuery { Sort = new[] { "displayName;x" } }.Options(false)).ErrorId);
        Assert.Equal(HttpErrorIds.BadRequest, Assert.Throws<M365Exception>(() => new ServicePrincipalQuery { Expand = new[] { "owners)" } }.Options(false)).ErrorId);
    }
}
