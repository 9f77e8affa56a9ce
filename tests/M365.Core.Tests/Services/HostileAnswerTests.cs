using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Graph;
using M365.Core.Services.Requests;
using M365.Core.Tests.Integration;
using M365.Sandbox.Control;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.Extensions.DependencyInjection;
using SandboxSp = M365.Sandbox.Graph.ServicePrincipals.ServicePrincipal;
using ServicePrincipal = M365.Core.Services.Graph.ServicePrincipal;

namespace M365.Core.Tests.Services;

/// <summary>
/// Answers a hostile server in front of Graph could give (issue 16, security 6 to 9), end to end through the sandbox's faults:
/// items that are not objects, bodies swapped between batch ids, an id answered twice, a huge body, endless nextLinks.
/// </summary>
public sealed class HostileAnswerTests : IClassFixture<SandboxConnectionFixture>
{
    private readonly SandboxConnectionFixture _fixture;
    private readonly ServicePrincipalClient _client;

    public HostileAnswerTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServicePrincipalClient(fixture.Connection);
    }

    private ServicePrincipalCatalog Catalog => _fixture.Sandbox.Services.GetRequiredService<ServicePrincipalCatalog>();

    [Fact]
    public async Task AListingWithItemsThatAreNotObjectsReportsEachAndGoesOn()
    {
        var (one, two) = (Catalog[10], Catalog[11]);
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[" + Json(one) + ",\"x\",5,null," + Json(two) + "]}"));
        var errors = new List<M365ServiceException>();
        var client = new ServicePrincipalClient(_fixture.Connection) { InvalidItem = errors.Add };

        var listed = new List<ServicePrincipal>();
        await foreach (ServicePrincipal sp in client.ListAsync())
        {
            listed.Add(sp);
        }

        Assert.Equal(new[] { one.Id, two.Id }, listed.Select(sp => sp.Id));
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal(ServiceErrorIds.ResponseItemInvalid, e.ErrorId));
        Assert.Contains("Item 2 of the service principal listing is a JSON string", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Item 4", errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAHandlerAnItemThatIsNotAnObjectEndsTheListingWithItsOwnError()
    {
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[\"x\"]}"));

        var error = await Assert.ThrowsAsync<M365ServiceException>(async () =>
        {
            await foreach (ServicePrincipal _ in _client.ListAsync())
            {
            }
        });

        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, error.ErrorId);
    }

    [Theory]
    [InlineData("{\"value\":[\"x\",5,null]}")]
    [InlineData("{\"value\":[null]}")]
    [InlineData("{\"value\":{\"id\":1}}")]
    [InlineData("[1]")]
    public async Task ALookupByAppIdAnsweredWithNonObjectsIsResponseItemInvalid(string body)
    {
        var wanted = Catalog[12];
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", body));

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByAppIdAsync(wanted.AppId));

        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, error.ErrorId);
        Assert.Equal(wanted.AppId, error.Target);
    }

    [Fact]
    public async Task ALookupAnsweredWithAnotherServicePrincipalIsRefused()
    {
        var (wanted, other) = (Catalog[13], Catalog[14]);
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[" + Json(other) + "]}", query: $"*{wanted.AppId}*"));
        _fixture.Sandbox.InjectFault(Body($"/v1.0/servicePrincipals/{other.Id}", Json(wanted)));

        var byAppId = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByAppIdAsync(wanted.AppId));
        var byId = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByIdAsync(other.Id));

        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, byAppId.ErrorId);
        Assert.Contains($"the app id {other.AppId:D}, not the one asked for", byAppId.Message, StringComparison.Ordinal);
        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, byId.ErrorId);
        Assert.Equal(other.Id, byId.Target);
    }

    [Fact]
    public async Task BatchBodiesSwappedBetweenIdsGiveNoInputAnotherInputsObject()
    {
        var (a, b, c) = (Catalog[20], Catalog[21], Catalog[22]);
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[" + Json(b) + "]}", query: $"*{a.AppId}*", scope: FaultScope.BatchItems));
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[" + Json(a) + "]}", query: $"*{b.AppId}*", scope: FaultScope.BatchItems));
        _fixture.Sandbox.InjectFault(Body($"/v1.0/servicePrincipals/{c.Id}", Json(a), scope: FaultScope.BatchItems));

        IReadOnlyList<ServicePrincipalResult> results = await _client.LookupAsync(
        [
            ServicePrincipalLookup.ByAppId(a.AppId), ServicePrincipalLookup.ByAppId(b.AppId), ServicePrincipalLookup.ById(c.Id), ServicePrincipalLookup.ByAppId(c.AppId),
        ]);

        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, results[0].Error?.ErrorId);
        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, results[1].Error?.ErrorId);
        Assert.Equal(ServiceErrorIds.ResponseItemInvalid, results[2].Error?.ErrorId);
        Assert.Equal(c.Id, results[3].Value?.Id);
        Assert.Equal(c.Id, results[2].Error!.Target);
    }

    [Fact]
    public async Task AnIdAnsweredTwiceInABatchIsBatchResponseInvalidForThatInputOnly()
    {
        var (a, b) = (Catalog[30], Catalog[31]);
        string item(string id, SandboxSp sp) => "{\"id\":\"" + id + "\",\"status\":200,\"body\":{\"value\":[" + Json(sp) + "]}}";
        _fixture.Sandbox.InjectFault(Body("/v1.0/$batch", "{\"responses\":[" + item("1", a) + "," + item("1", a) + "," + item("2", b) + "]}", scope: FaultScope.Direct));

        IReadOnlyList<ServicePrincipalResult> results = await _client.LookupAsync([ServicePrincipalLookup.ByAppId(a.AppId), ServicePrincipalLookup.ByAppId(b.AppId)]);

        Assert.Equal(ServiceErrorIds.BatchResponseInvalid, results[0].Error?.ErrorId);
        Assert.Contains("more than one response", results[0].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(b.Id, results[1].Value?.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AHugeBodyFromTheSandboxIsResponseTooLarge(bool declareLength)
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals", Kind = FaultKind.LargeBody, BodyBytes = 150L * 1024 * 1024, DeclareLength = declareLength });

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.GetByAppIdAsync(Catalog[40].AppId));

        Assert.Equal(HttpErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Equal(Catalog[40].AppId, error.Target);
    }

    [Fact]
    public async Task EndlessDistinctNextLinksStopAtTheRequestsPageLimit()
    {
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[{\"id\":\"{n}\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/servicePrincipals?$top=1&$skiptoken=endless{n}\"}"));
        var items = new List<object?>();
        var client = new ServiceRequestClient(_fixture.Connection);

        var error = await Assert.ThrowsAsync<M365ServiceException>(async () =>
        {
            await foreach (object? item in client.GetAllAsync(new ServiceRequest("v1.0/servicePrincipals?$top=1") { Service = "Graph", MaximumPageCount = 5 }))
            {
                items.Add(item);
            }
        });

        Assert.Equal(HttpErrorIds.ODataPageLimitExceeded, error.ErrorId);
        Assert.Equal(5, items.Count);
        Assert.Contains("5 pages, after 5 items", error.Message, StringComparison.Ordinal);
        Assert.Contains("skiptoken=endless5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"value\":[{\"id\":\"x\",}]}", HttpErrorIds.ResponseNotJson, "malformed JSON")]
    [InlineData("{\"value\":[]} trailing", HttpErrorIds.ResponseNotJson, "malformed JSON")]
    [InlineData("{\"value\":[{\"notes\":\"\\ud800\"}]}", HttpErrorIds.ResponseNotJson, "not valid UTF-16")]
    [InlineData("{\"items\":[]}", HttpErrorIds.ODataPageInvalid, "no 'value' array")]
    public async Task AListingPageThatIsNotAWellFormedCollectionIsRefusedWhole(string body, string errorId, string problem)
    {
        // The listing reads pages with a streaming reader, not a JsonDocument: it refuses what JsonDocument refuses, even in
        // a field it does not keep (the lone surrogate escape is in one it would put in AdditionalProperties).
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", body));
        var listed = new List<ServicePrincipal>();

        var error = await Assert.ThrowsAnyAsync<M365Exception>(async () =>
        {
            await foreach (ServicePrincipal sp in _client.ListAsync())
            {
                listed.Add(sp);
            }
        });

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(listed);
    }

    private static FaultRule Body(string path, string body, string? query = null, FaultScope scope = FaultScope.Any) =>
        new() { Host = "graph.microsoft.com", Path = path, Query = query, Scope = scope, Kind = FaultKind.Body, Body = body };

    private static string Json(SandboxSp sp) =>
        System.Text.Json.JsonSerializer.Serialize(new { id = sp.Id, appId = sp.AppId, displayName = sp.DisplayName });
}
