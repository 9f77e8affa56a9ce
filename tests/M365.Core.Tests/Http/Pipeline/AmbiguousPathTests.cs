using System.Net;
using System.Text.Json;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// A path that starts with '//' (or '/\') reads as another host to anything that resolves it again: a URL, a redirect
/// Location and a nextLink of that form are refused before a request is made (issue 16, security 4).
/// </summary>
public sealed class AmbiguousPathTests
{
    private const string GraphUrl = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2";

    [Theory]
    [InlineData("https://graph.microsoft.com//127.0.0.1:8443/stolen")]
    [InlineData("https://graph.microsoft.com/\\evil.example/x")]
    [InlineData("https://graph.microsoft.com/..//evil.example/x")]
    public async Task AUrlWhosePathNamesAHostIsRefusedBeforeAnyToken(string url)
    {
        using var harness = new SenderHarness();

        var error = await Assert.ThrowsAsync<M365Exception>(() => harness.Sender.GetJsonAsync(new Uri(url)));

        Assert.Equal(TransportErrorIds.InsecureRequestRefused, error.ErrorId);
        Assert.Empty(harness.Handler.Received);
        Assert.Equal(0, harness.Acquirer.Calls);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com//127.0.0.1:8443/stolen")]
    [InlineData("/\\evil.example/x")]
    public async Task ARedirectToSuchAPathIsNotFollowed(string location)
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.TryAddWithoutValidation("Location", location);
            return response;
        });

        var error = await Assert.ThrowsAnyAsync<M365Exception>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Contains(error.ErrorId, new[] { TransportErrorIds.InsecureRequestRefused, HttpErrorIds.RedirectToForeignHost });
        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task ANextLinkToSuchAPathIsNotFollowed()
    {
        using var harness = new SenderHarness();
        string page = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["value"] = new[] { new { id = "a" } },
            ["@odata.nextLink"] = "https://graph.microsoft.com//127.0.0.1:8443/stolen?$skiptoken=2",
        });
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok(page));

        var error = await Assert.ThrowsAnyAsync<M365Exception>(() => harness.Sender.ForEachPageAsync(new Uri(GraphUrl), (value, ct) => Task.CompletedTask));

        Assert.Equal(TransportErrorIds.InsecureRequestRefused, error.ErrorId);
        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }
}
