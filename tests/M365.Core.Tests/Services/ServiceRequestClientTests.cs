using System.Net.Http;
using M365.Core.Authentication;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Services;
using M365.Core.Services.Requests;
using M365.Core.Tests.Integration;
using M365.Sandbox.Control;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.Extensions.DependencyInjection;

namespace M365.Core.Tests.Services;

/// <summary>Raw requests to any resource, on an app-only connection to the sandbox.</summary>
public sealed class ServiceRequestClientTests : IClassFixture<SandboxConnectionFixture>
{
    private readonly SandboxConnectionFixture _fixture;
    private readonly ServiceRequestClient _client;

    public ServiceRequestClientTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServiceRequestClient(fixture.Connection);
    }

    [Fact]
    public async Task ARelativeUriWithAServiceIsParsedAndRawIsKept()
    {
        ServiceResponse response = await _client.SendAsync(new ServiceRequest("/v1.0/servicePrincipals?$top=2") { Service = "Graph" });

        var body = Assert.IsAssignableFrom<IDictionary<string, object?>>(response.Value);
        Assert.Equal(2, ((object?[])body["value"]!).Length);
        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("{", response.Body);
        Assert.Equal("/v1.0/servicePrincipals", Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.Host == "graph.microsoft.com").Path);
    }

    [Fact]
    public async Task AnObjectBodyIsSentAsJson()
    {
        var request = new ServiceRequest("https://graph.microsoft.com/v1.0/$batch")
        {
            Method = HttpMethod.Post,
            Body = new { requests = new[] { new { id = "1", method = "GET", url = "/servicePrincipals?$top=1" } } },
        };

        ServiceResponse response = await _client.SendAsync(request);

        var responses = (object?[])((IDictionary<string, object?>)response.Value!)["responses"]!;
        Assert.Equal(200L, ((IDictionary<string, object?>)responses[0]!)["status"]);
    }

    [Fact]
    public async Task AnUnknownHostWithoutResourceIsUnknownResourceAndARelativeUriNeedsAService()
    {
        var unknown = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest("https://api.contoso.example/items")));
        var relative = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest("/v1.0/me")));

        Assert.Equal(ServiceErrorIds.UnknownResource, unknown.ErrorId);
        Assert.Equal("https://api.contoso.example/items", unknown.Target);
        Assert.Equal(ServiceErrorIds.RequestUriInvalid, relative.ErrorId);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public async Task YammerOnAnAppOnlyConnectionSendsNothing()
    {
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _client.SendAsync(new ServiceRequest("api/v1/messages.json") { Service = "Yammer" }));

        Assert.Equal(AuthenticationErrorIds.YammerRequiresDelegatedAuth, error.ErrorId);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public async Task AllFollowsNextLinksAndStreamsEveryItem()
    {
        int expected = _fixture.Sandbox.Services.GetRequiredService<ServicePrincipalCatalog>().Count;
        int count = 0;
        await foreach (object? item in _client.GetAllAsync(new ServiceRequest("v1.0/servicePrincipals?$top=999&$select=id") { Service = "Graph" }))
        {
            Assert.True(((IDictionary<string, object?>)item!).ContainsKey("id"));
            count++;
        }

        Assert.Equal(expected, count);
    }

    [Fact]
    public async Task AForeignNextLinkGetsNoToken()
    {
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals", Kind = FaultKind.NextLinkForeignHost, ForeignHost = "evil.example.com", Times = 1 });
        int seen = 0;

        var error = await Assert.ThrowsAsync<M365ServiceException>(async () =>
        {
            await foreach (object? item in _client.GetAllAsync(new ServiceRequest("https://graph.microsoft.com/v1.0/servicePrincipals?$top=5")))
            {
                seen++;
            }
        });

        Assert.Equal(HttpErrorIds.ODataNextLinkForeignHost, error.ErrorId);
        Assert.Equal(0, seen);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Host.Contains("evil", StringComparison.Ordinal));
        Assert.Single(_fixture.Sandbox.GetRequestLog(), e => e.Host == "graph.microsoft.com");
    }

    [Fact]
    public void AResourceOverrideBindsItsAudienceToTheRequestHostOnly()
    {
        var url = new Uri("https://api.contoso.example/items");
        M365Resource custom = _fixture.Connection.Resources.ForAudience(url, "api://contoso-api");
        M365Resource graph = _fixture.Connection.Resources.ForAudience(new Uri("https://graph.microsoft.com/v1.0/me"), "Graph");

        Assert.Equal("api://contoso-api", custom.ResourceId);
        Assert.Equal("api://contoso-api/.default", custom.Scope);
        Assert.True(custom.Covers(url));
        Assert.False(custom.Covers(new Uri("https://graph.microsoft.com/v1.0/me")));
        Assert.NotEqual(_fixture.Connection.Resources.FromUrl(url), custom);
        Assert.Same(_fixture.Connection.Resources.Graph, graph);
    }
}
