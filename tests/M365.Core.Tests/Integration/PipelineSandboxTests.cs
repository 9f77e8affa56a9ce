using System.Collections.Concurrent;
using System.Text.Json;
using M365.Core.Http;
using M365.Sandbox.Control;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Core.Tests.Integration;

/// <summary>The pipeline end to end against the sandbox tenant: real tokens, real paging, injected faults.</summary>
public sealed class PipelineSandboxTests : IClassFixture<SandboxConnectionFixture>
{
    private const string GraphHost = "graph.microsoft.com";
    private const string ServicePrincipals = "https://graph.microsoft.com/v1.0/servicePrincipals";

    // The sandbox's nextLink faults answer an empty body for Graph endpoints: FaultInjectionMiddleware.RewriteNextLinkAsync swaps
    // Response.Body but never flushes Response.BodyWriter (which the Graph endpoints write to) before reading its buffer.
    // Adding `await context.Response.BodyWriter.FlushAsync(context.RequestAborted);` after `await _next(context);` makes both
    // tests pass (checked locally); un-skip them once the sandbox has it. The same behaviour is covered by unit tests meanwhile.
    private readonly SandboxConnectionFixture _fixture;

    public PipelineSandboxTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private int ExpectedCount => _fixture.Sandbox.Services.GetRequiredService<ServicePrincipalCatalog>().Count;

    [Fact]
    public async Task PagesThroughEveryServicePrincipal()
    {
        var ids = new List<string>();
        var verbose = new ConcurrentQueue<string>();

        int pages = await _fixture.Connection.Requests.WithVerbose(verbose.Enqueue).ForEachPageAsync(
            new Uri(ServicePrincipals + "?$top=999"),
            (value, ct) =>
            {
                ids.AddRange(value.EnumerateArray().Select(sp => sp.GetProperty("id").GetString()!));
                return Task.CompletedTask;
            });

        Assert.True(ExpectedCount > 3000);
        Assert.Equal(ExpectedCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((ExpectedCount + 998) / 999, pages);
        Assert.Same(_fixture.Connection.Requests, _fixture.Connection.Requests);
        IReadOnlyList<RequestLogEntry> calls = GraphCalls();
        Assert.Equal(pages, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal(200, call.Status);
            Assert.Equal("https://graph.microsoft.com", call.Audience);
            Assert.Equal("app", call.IdentityType);
        });
        Assert.Contains(verbose, line => line.Contains("last page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThrottlingWithDecimalRetryAfterIsRetriedAndSucceeds()
    {
        _fixture.Sandbox.InjectFault(new FaultRule
        {
            Host = GraphHost,
            Path = "/v1.0/servicePrincipals",
            Status = 429,
            RetryAfterSeconds = 0.249,
            RetryAfterForm = RetryAfterForm.DecimalSeconds,
            Times = 2,
        });
        var verbose = new ConcurrentQueue<string>();

        using JsonDocument page = await _fixture.Connection.Requests.WithVerbose(verbose.Enqueue).GetJsonAsync(new Uri(ServicePrincipals + "?$top=5"));

        Assert.Equal(5, page.RootElement.GetProperty("value").GetArrayLength());
        Assert.Equal(new[] { 429, 429, 200 }, GraphCalls().Select(e => e.Status));
        Assert.Equal(2, verbose.Count(line => line.Contains("in 0.249 s after 429", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NextLinkLoopIsStopped()
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Kind = FaultKind.NextLinkLoop, Host = GraphHost, Path = "/v1.0/servicePrincipals", Times = 5 });

        var error = await Assert.ThrowsAsync<M365HttpException>(() =>
            _fixture.Connection.Requests.ForEachPageAsync(new Uri(ServicePrincipals + "?$top=10"), (value, ct) => Task.CompletedTask));

        Assert.True(error.ErrorId == HttpErrorIds.ODataNextLinkLoop, error.ErrorId + ": " + error.Message);
        Assert.Single(GraphCalls());
    }

    [Fact]
    public async Task NextLinkToAForeignHostIsRefusedAndTheHostNeverHearsFromUs()
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Kind = FaultKind.NextLinkForeignHost, Host = GraphHost, Path = "/v1.0/servicePrincipals", ForeignHost = "evil.example.com", Times = 1 });

        var error = await Assert.ThrowsAsync<M365HttpException>(() =>
            _fixture.Connection.Requests.ForEachPageAsync(new Uri(ServicePrincipals + "?$top=10"), (value, ct) => Task.CompletedTask));

        Assert.True(error.ErrorId == HttpErrorIds.ODataNextLinkForeignHost, error.ErrorId + ": " + error.Message);
        Assert.Contains("evil.example.com", error.Message, StringComparison.Ordinal);
        IReadOnlyList<RequestLogEntry> log = _fixture.Sandbox.GetRequestLog();
        Assert.DoesNotContain(log, e => e.Host.Contains("evil", StringComparison.OrdinalIgnoreCase));
        Assert.Single(GraphCalls());
    }

    [Fact]
    public async Task MalformedAndHtmlBodiesAreResponseNotJson()
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Kind = FaultKind.MalformedBody, Status = 200, Host = GraphHost, Times = 1 });
        var malformed = await Assert.ThrowsAsync<M365HttpException>(() => _fixture.Connection.Requests.GetJsonAsync(new Uri(ServicePrincipals + "?$top=1")));

        _fixture.Sandbox.InjectFault(new FaultRule { Kind = FaultKind.HtmlBody, Status = 200, Host = GraphHost, Times = 1 });
        var html = await Assert.ThrowsAsync<M365HttpException>(() => _fixture.Connection.Requests.GetJsonAsync(new Uri(ServicePrincipals + "?$top=1")));

        Assert.Equal(HttpErrorIds.ResponseNotJson, malformed.ErrorId);
        Assert.Equal(HttpErrorIds.ResponseNotJson, html.ErrorId);
    }

    [Fact]
    public async Task ChaosStillGetsEveryPageExactlyOnce()
    {
        _fixture.Sandbox.InjectFault(new FaultRule
        {
            Host = GraphHost,
            Path = "/v1.0/servicePrincipals",
            Status = 503,
            RetryAfterSeconds = 0.01,
            RetryAfterForm = RetryAfterForm.DecimalSeconds,
            Ratio = 0.3,
        });
        var ids = new List<string>();
        int pageCalls = 0;

        int pages = await _fixture.Connection.Requests.ForEachPageAsync(
            new Uri(ServicePrincipals + "?$top=200&$select=id"),
            (value, ct) =>
            {
                pageCalls++;
                ids.AddRange(value.EnumerateArray().Select(sp => sp.GetProperty("id").GetString()!));
                return Task.CompletedTask;
            });

        Assert.Equal((ExpectedCount + 199) / 200, pages);
        Assert.Equal(pages, pageCalls);
        Assert.Equal(ExpectedCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        IReadOnlyList<RequestLogEntry> calls = GraphCalls();
        Assert.True(calls.Count(c => c.Status == 503) >= pages / 4, $"{calls.Count(c => c.Status == 503)} faults over {pages} pages");
        Assert.All(calls.Where(c => c.Status == 200).GroupBy(c => c.Query), g => Assert.Single(g));
        Assert.Equal(pages, calls.Count(c => c.Status == 200));
    }

    [Fact]
    public async Task OneResourceNeverGetsAnotherResourcesToken()
    {
        using JsonDocument graph = await _fixture.Connection.Requests.GetJsonAsync(new Uri(ServicePrincipals + "?$top=1"));
        using JsonDocument health = await _fixture.Connection.Requests.GetJsonAsync(
            new Uri($"https://manage.office.com/api/v1.0/{_fixture.Sandbox.TenantId}/ServiceComms/CurrentStatus"));

        IReadOnlyList<RequestLogEntry> resourceCalls = _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest).ToList();
        Assert.Equal(2, resourceCalls.Count);
        Assert.Equal("https://graph.microsoft.com", resourceCalls[0].Audience);
        Assert.Equal("https://manage.office.com", resourceCalls[1].Audience);
        Assert.All(resourceCalls, e => Assert.Equal(200, e.Status));
    }

    private IReadOnlyList<RequestLogEntry> GraphCalls() =>
        _fixture.Sandbox.GetRequestLog().Where(e => e.Host == GraphHost && e.Path == "/v1.0/servicePrincipals").ToList();
}
