using System.Collections.Concurrent;
using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Graph;
using M365.Sandbox.Control;
using M365.Sandbox.Graph.ServicePrincipals;
using ServicePrincipal = M365.Core.Services.Graph.ServicePrincipal;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Core.Tests.Services;

/// <summary>Service principal lookups, batching and listing against a sandbox tenant of 50,000 service principals.</summary>
public sealed class ServicePrincipalClientTests : IClassFixture<LargeTenantFixture>
{
    private static readonly Guid MicrosoftGraphAppId = Guid.Parse("00000003-0000-0000-c000-000000000000");
    private readonly LargeTenantFixture _fixture;
    private readonly ServicePrincipalClient _client;

    public ServicePrincipalClientTests(LargeTenantFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServicePrincipalClient(fixture.Connection);
    }

    private ServicePrincipalCatalog Catalog => _fixture.Sandbox.Services.GetRequiredService<ServicePrincipalCatalog>();

    private IReadOnlyList<RequestLogEntry> GraphCalls() =>
        _fixture.Sandbox.GetRequestLog().Where(e => e.Host == "graph.microsoft.com" && e.BatchId is null).ToList();

    [Fact]
    public async Task LookupByAppIdSendsExactlyOneRequestAndTypesTheAnswer()
    {
        await _client.GetByAppIdAsync(MicrosoftGraphAppId); // warms the token, so the log shows the lookup alone
        _fixture.Reset();

        ServicePrincipal graph = await _client.GetByAppIdAsync(MicrosoftGraphAppId);

        var call = Assert.Single(GraphCalls());
        Assert.Equal("/v1.0/servicePrincipals", call.Path);
        Assert.Contains("appId", Uri.UnescapeDataString(call.Query));
        Assert.Equal(MicrosoftGraphAppId, graph.AppId);
        Assert.Equal("Microsoft Graph", graph.DisplayName);
        Assert.NotEmpty(graph.AppRoles);
        Assert.NotEmpty(graph.Oauth2PermissionScopes);
        Assert.Contains(graph.AppRoles, r => r.Value == "Application.Read.All");
        Assert.NotEqual(Guid.Empty, graph.Id);
    }

    [Fact]
    public async Task LookupByObjectIdSelectsPropertiesAndA404IsServicePrincipalNotFound()
    {
        ServicePrincipal first = Catalog[100] is var sp ? await _client.GetByIdAsync(sp.Id) : null!;
        ServicePrincipal selected = await _client.GetByIdAsync(first.Id, new[] { "id", "displayName" });
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByIdAsync(missing));

        Assert.Equal(Catalog[100].AppId, first.AppId);
        Assert.Equal(first.DisplayName, selected.DisplayName);
        Assert.Null(selected.AppId);
        Assert.Equal(ServiceErrorIds.ServicePrincipalNotFound, error.ErrorId);
        Assert.Equal(missing, error.Target);
        Assert.Equal(404, error.StatusCode);
        Assert.NotNull(error.RequestId);
        Assert.Contains("does not exist", error.ServiceMessage);
    }

    [Fact]
    public void FieldsTheModelDoesNotKnowAreKeptAsPlainValues()
    {
        using var json = System.Text.Json.JsonDocument.Parse(
            "{\"id\":\"5e1f8d2c-0000-4000-8000-000000000001\",\"appId\":\"5e1f8d2c-0000-4000-8000-000000000002\",\"displayName\":\"App\","
            + "\"createdDateTime\":\"2024-01-02T03:04:05Z\",\"info\":{\"logoUrl\":null,\"count\":3},\"keyCredentials\":[{\"type\":\"x\"}],"
            + "\"appRoles\":[{\"id\":\"5e1f8d2c-0000-4000-8000-000000000003\",\"value\":\"Read\",\"allowedMemberTypes\":[\"Application\"],\"isEnabled\":true}]}");

        ServicePrincipal sp = ServicePrincipal.FromJson(json.RootElement);

        Assert.Equal("App", sp.DisplayName);
        Assert.Equal("Read", Assert.Single(sp.AppRoles).Value);
        Assert.Equal("2024-01-02T03:04:05Z", sp.AdditionalProperties["createdDateTime"]);
        Assert.Equal(3L, ((IDictionary<string, object?>)sp.AdditionalProperties["info"]!)["count"]);
        Assert.Single((object?[])sp.AdditionalProperties["keyCredentials"]!);
        Assert.False(sp.AdditionalProperties.ContainsKey("appId"));
    }

    [Fact]
    public async Task UnknownAppIdIsServicePrincipalNotFound()
    {
        var unknown = Guid.NewGuid();
        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByAppIdAsync(unknown));
        Assert.Equal(ServiceErrorIds.ServicePrincipalNotFound, error.ErrorId);
        Assert.Equal(unknown, error.Target);
    }

    [Fact]
    public async Task DisplayNameGivesEveryMatch()
    {
        string name = Catalog[10].DisplayName;
        var matches = new List<ServicePrincipal>();
        await foreach (ServicePrincipal match in _client.GetByDisplayNameAsync(name))
        {
            matches.Add(match);
        }

        Assert.NotEmpty(matches);
        Assert.All(matches, m => Assert.Equal(name, m.DisplayName));
    }

    [Fact]
    public async Task ADisplayNameThatMatchesNothingIsServicePrincipalNotFound()
    {
        var error = await Assert.ThrowsAsync<M365ServiceException>(async () =>
        {
            await foreach (ServicePrincipal _ in _client.GetByDisplayNameAsync("No such app"))
            {
            }
        });

        Assert.Equal(ServiceErrorIds.ServicePrincipalNotFound, error.ErrorId);
        Assert.Equal("No such app", error.Target);
    }

    [Fact]
    public async Task ATrailingStarListsThePrefixWithStartsWithAndNoMatchIsNoError()
    {
        await _client.GetByAppIdAsync(MicrosoftGraphAppId);
        _fixture.Reset();
        var names = new List<string>();
        await foreach (ServicePrincipal match in _client.GetByDisplayNameAsync("Office 365 S*"))
        {
            names.Add(match.DisplayName!);
        }

        Assert.Equal(new[] { "Office 365 SharePoint Online" }, names);
        Assert.Contains("$filter=startswith(displayName,'Office 365 S')", Uri.UnescapeDataString(Assert.Single(GraphCalls()).Query!), StringComparison.Ordinal);
        await foreach (ServicePrincipal _ in _client.GetByDisplayNameAsync("Nothing starts like this*"))
        {
            Assert.Fail("no service principal has that prefix");
        }
    }

    [Theory]
    [InlineData("Office", "displayName eq 'Office'")]
    [InlineData("Office*", "startswith(displayName,'Office')")]
    [InlineData("Margie's*", "startswith(displayName,'Margie''s')")]
    [InlineData("*", "")]
    public void DisplayNamesBecomeFiltersWithQuotesEscaped(string name, string filter) =>
        Assert.Equal(filter, ServicePrincipalClient.DisplayNameFilter(name, out _));

    [Theory]
    [InlineData("*Online")]
    [InlineData("Office*Online")]
    [InlineData("Office**")]
    public void AStarAnywhereButAtTheEndIsRefusedBeforeAnyRequest(string name)
    {
        var error = Assert.Throws<M365Exception>(() => _client.GetByDisplayNameAsync(name));
        Assert.Equal(HttpErrorIds.BadRequest, error.ErrorId);
        Assert.Equal(name, error.Target);
    }

    [Fact]
    public async Task FortyFiveLookupsSendThreeBatchesInInputOrderWithOneNotFound()
    {
        var missing = Guid.NewGuid();
        var lookups = Enumerable.Range(1000, 44).Select(i => ServicePrincipalLookup.ByAppId(Catalog[i].AppId)).ToList();
        lookups.Insert(22, ServicePrincipalLookup.ByAppId(missing));
        lookups[5] = ServicePrincipalLookup.ById(Catalog[5000].Id);
        await _client.GetByAppIdAsync(MicrosoftGraphAppId);
        _fixture.Reset();

        IReadOnlyList<ServicePrincipalResult> results = await _client.LookupAsync(lookups);

        Assert.Equal(3, GraphCalls().Count(c => c.Path == "/v1.0/$batch"));
        Assert.Equal(3, GraphCalls().Count);
        Assert.Equal(45, results.Count);
        Assert.Equal(lookups, results.Select(r => r.Lookup));
        var failed = Assert.Single(results, r => !r.IsSuccess);
        Assert.Same(lookups[22], failed.Lookup);
        Assert.Equal(ServiceErrorIds.ServicePrincipalNotFound, failed.Error!.ErrorId);
        Assert.Equal(missing, failed.Error.Target);
        Assert.Equal(Catalog[5000].Id, results[5].Value!.Id);
        Assert.All(results.Where((r, i) => i != 22 && i != 5), r => Assert.Equal(r.Lookup.Value, r.Value!.AppId));
    }

    [Fact]
    public async Task OneThrottledItemInsideABatchIsRetriedAloneAfterItsRetryAfter()
    {
        var lookups = Enumerable.Range(2000, 5).Select(i => ServicePrincipalLookup.ByAppId(Catalog[i].AppId)).ToList();
        Guid throttled = lookups[3].Value;
        _fixture.Sandbox.ThrottleBatchItems("/v1.0/servicePrincipals", $"*{throttled}*", retryAfterSeconds: 0.2, times: 1);
        var verbose = new ConcurrentQueue<string>();
        var client = new ServicePrincipalClient(_fixture.Connection, _fixture.Connection.Requests.WithVerbose(verbose.Enqueue));

        IReadOnlyList<ServicePrincipalResult> results = await client.LookupAsync(lookups);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(lookups.Select(l => l.Value), results.Select(r => r.Value!.AppId!.Value));
        var inner = _fixture.Sandbox.GetRequestLog().Where(e => e.BatchId != null).ToList();
        Assert.Equal(6, inner.Count);
        var secondBatch = inner.GroupBy(e => e.BatchId).Single(g => g.Count() == 1).Single();
        Assert.Contains(throttled.ToString(), Uri.UnescapeDataString(secondBatch.Query));
        Assert.Equal(2, GraphCalls().Count(c => c.Path == "/v1.0/$batch"));
        Assert.Contains(verbose, line => line.Contains("1 of 5 batch items throttled", StringComparison.Ordinal) && line.Contains("in 0.2 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThousandLookupsUnderTenPercentThrottlingSendAtMostSixtyFiveBatchesAndAllComeBackInOrder()
    {
        // 10% of the $batch requests and 10% of the items answered 429, Retry-After 0.2 s: 50 batches carry the work, and
        // resending each batch's throttled items alone took 124. A budget of 6 retries, so no item runs out of it here.
        var options = new HttpRetryOptions { MaxRetries = 6 };
        var client = new ServicePrincipalClient(_fixture.Connection, ResourceRequestSender.Create(_fixture.Connection, options));
        var lookups = Enumerable.Range(10_000, 1000).Select(i => ServicePrincipalLookup.ByAppId(Catalog[i].AppId)).ToList();
        await client.GetByAppIdAsync(MicrosoftGraphAppId);
        _fixture.Reset();
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/$batch", Scope = FaultScope.Direct, Status = 429, Ratio = 0.1, RetryAfterSeconds = 0.2, RetryAfterForm = RetryAfterForm.DecimalSeconds });
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals*", Scope = FaultScope.BatchItems, Status = 429, Ratio = 0.1, RetryAfterSeconds = 0.2, RetryAfterForm = RetryAfterForm.DecimalSeconds });

        IReadOnlyList<ServicePrincipalResult> results = await client.LookupAsync(lookups);

        Assert.Equal(lookups.Select(l => l.Value), results.Select(r => r.Value?.AppId ?? Guid.Empty));
        int batches = GraphCalls().Count(c => c.Path == "/v1.0/$batch");
        Assert.InRange(batches, 50, 65);
        Assert.Contains(GraphCalls(), c => c.Path == "/v1.0/$batch" && c.Status == 429);
        Assert.Contains(_fixture.Sandbox.GetRequestLog(), e => e.BatchId != null && e.Status == 429);
    }

    [Fact]
    public async Task AnItemThrottledBeyondTheRetriesIsItsOwnRequestThrottledError()
    {
        var options = new HttpRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        var client = new ServicePrincipalClient(_fixture.Connection, ResourceRequestSender.Create(_fixture.Connection, options));
        var lookups = new[] { ServicePrincipalLookup.ByAppId(Catalog[3000].AppId), ServicePrincipalLookup.ByAppId(Catalog[3001].AppId) };
        _fixture.Sandbox.ThrottleBatchItems("/v1.0/servicePrincipals", $"*{lookups[0].Value}*", retryAfterSeconds: 30, times: 5);

        IReadOnlyList<ServicePrincipalResult> results = await client.LookupAsync(lookups);

        Assert.Equal(HttpErrorIds.RequestThrottled, results[0].Error!.ErrorId);
        Assert.Equal(429, results[0].Error!.StatusCode);
        Assert.True(results[1].IsSuccess);
    }

    [Fact]
    public async Task ABatchThatFailsAsAWholeGoesThroughThePipelineRetries()
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/$batch", Status = 503, RetryAfterSeconds = 0.1, RetryAfterForm = RetryAfterForm.DecimalSeconds, Times = 1 });

        IReadOnlyList<ServicePrincipalResult> results = await _client.LookupAsync(new[] { ServicePrincipalLookup.ByAppId(MicrosoftGraphAppId) });

        Assert.True(results.Single().IsSuccess);
        Assert.Equal(new[] { 503, 200 }, GraphCalls().Where(c => c.Path == "/v1.0/$batch").Select(c => c.Status));
    }

    [Fact]
    public async Task ListingStreamsFirstObjectBeforePageTwoAndStoppingAfterFiveSendsOneRequest()
    {
        await _client.GetByAppIdAsync(MicrosoftGraphAppId);
        _fixture.Reset();
        var taken = new List<ServicePrincipal>();

        await foreach (ServicePrincipal sp in _client.ListAsync())
        {
            if (taken.Count == 0)
            {
                Assert.Single(GraphCalls());
            }

            taken.Add(sp);
            if (taken.Count == 5)
            {
                break;
            }
        }

        var call = Assert.Single(GraphCalls());
        Assert.Contains("$top=999", Uri.UnescapeDataString(call.Query));
        Assert.Equal(5, taken.Count);
    }

    [Fact]
    public async Task ListingFiftyThousandServicePrincipalsPagesThroughAllOfThem()
    {
        Assert.True(Catalog.Count > 50_000);
        int count = 0;
        var ids = new HashSet<Guid>();
        await foreach (ServicePrincipal sp in _client.ListAsync(properties: new[] { "id", "appId", "displayName" }))
        {
            count++;
            ids.Add(sp.Id);
        }

        Assert.Equal(Catalog.Count, count);
        Assert.Equal(count, ids.Count);
        Assert.Equal((Catalog.Count + 998) / 999, GraphCalls().Count(c => c.Path == "/v1.0/servicePrincipals"));
    }
}
