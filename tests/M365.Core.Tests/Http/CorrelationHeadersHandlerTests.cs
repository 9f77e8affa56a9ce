using M365.Core.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Http;

public sealed class CorrelationHeadersHandlerTests
{
    [Fact]
    public async Task EveryRequestCarriesUserAgentAndAFreshClientRequestId()
    {
        var inner = new FakeHttpHandler();
        using HttpTransport transport = HttpTransport.CreateWithHandler(inner);

        await transport.Client.GetAsync("https://graph.microsoft.com/v1.0/me");
        await transport.Client.GetAsync("https://graph.microsoft.com/v1.0/me");

        var requests = inner.Requests.Select(r => r.Request).ToList();
        Assert.All(requests, r => Assert.Equal("NONISV|M365|M365/0.1.0", string.Join(" ", r.Headers.GetValues("User-Agent"))));
        var ids = requests.Select(r => Guid.Parse(Assert.Single(r.Headers.GetValues("client-request-id")))).ToList();
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task AnExistingClientRequestIdIsKept()
    {
        var inner = new FakeHttpHandler();
        using HttpTransport transport = HttpTransport.CreateWithHandler(inner);
        var request = new HttpRequestMessage(HttpMethod.Get, "https://graph.microsoft.com/v1.0/me");
        request.Headers.TryAddWithoutValidation("client-request-id", "abc");
        request.Headers.TryAddWithoutValidation("User-Agent", "other/1.0");

        await transport.Client.SendAsync(request);

        Assert.Equal("abc", Assert.Single(request.Headers.GetValues("client-request-id")));
        Assert.Equal("NONISV|M365|M365/0.1.0", string.Join(" ", request.Headers.GetValues("User-Agent")));
    }

    // Issue 16: the production transport refuses such paths too, so no server or proxy can read them as another host.
    [Theory]
    [InlineData("https://graph.microsoft.com//127.0.0.1:8443/stolen")]
    [InlineData("https://graph.microsoft.com/\\evil.example/x")]
    public async Task APathThatCouldNameAnotherHostNeverLeavesAnyTransport(string url)
    {
        var inner = new FakeHttpHandler();
        using HttpTransport transport = HttpTransport.CreateWithHandler(inner);

        var error = await Assert.ThrowsAsync<M365Exception>(() => transport.Client.GetAsync(url));

        Assert.Equal(TransportErrorIds.InsecureRequestRefused, error.ErrorId);
        Assert.Empty(inner.Requests);
    }
}
