using System.Net;
using M365.Core.Authentication;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>Which token goes where: resource selection, the forced refresh after a 401, and redirects.</summary>
public sealed class TokenAndRedirectTests
{
    private const string GraphUrl = "https://graph.microsoft.com/v1.0/me";
    private const string SharePointUrl = "https://contoso.sharepoint.com/_api/web";

    [Fact]
    public async Task TheUrlPicksTheResourceAndItsToken()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok())
            .Expect(HttpMethod.Get, SharePointUrl, () => StrictHttpHandler.Ok())
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok());

        (await harness.Sender.GetJsonAsync(new Uri(GraphUrl))).Dispose();
        (await harness.Sender.GetJsonAsync(new Uri(SharePointUrl))).Dispose();
        (await harness.Sender.GetJsonAsync(new Uri(GraphUrl))).Dispose();

        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.Equal("Bearer token-1", requests[0].Authorization);
        Assert.Equal("Bearer token-2", requests[1].Authorization);
        Assert.Equal("Bearer token-1", requests[2].Authorization);
        Assert.Equal("application/json", requests[0].Accept);
        Assert.Equal("application/json;odata=nometadata", requests[1].Accept?.Replace(" ", ""));
        Assert.Equal(1, harness.Acquirer.CallsByResource["https://graph.microsoft.com"]);
        Assert.Equal(1, harness.Acquirer.CallsByResource["https://contoso.sharepoint.com"]);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task InvalidTokenCausesOneForcedRefreshAndOneResend()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => Unauthorized())
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok("{\"id\":\"me\"}"));

        using var document = await harness.Sender.GetJsonAsync(new Uri(GraphUrl));

        Assert.Equal("me", document.RootElement.GetProperty("id").GetString());
        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.Equal("Bearer token-1", requests[0].Authorization);
        Assert.Equal("Bearer token-2", requests[1].Authorization);
        Assert.Equal(new[] { false, true }, harness.Acquirer.ForceFlags.ToArray());
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task SecondUnauthorizedIsAnErrorNotALoop()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => Unauthorized())
            .Expect(HttpMethod.Get, GraphUrl, () => Unauthorized());

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(HttpErrorIds.Unauthorized, error.ErrorId);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.ServiceErrorCode);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, harness.Acquirer.Calls);
        Assert.Contains("Connect-M365", error.RecommendedAction, StringComparison.Ordinal);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task TokenFailureIsNotRetriedAndNothingIsSent()
    {
        using var harness = new SenderHarness();
        harness.Acquirer.Behaviour = (resource, force, ct, call) => throw new M365AuthenticationException(
            AuthenticationErrorIds.ReauthenticationRequired, "The refresh token expired.", "Run Connect-M365 again.");

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, error.ErrorId);
        Assert.Equal(1, harness.Acquirer.Calls);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task RedirectToAnotherHostIsRefusedAndGetsNoRequest()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => Redirect(HttpStatusCode.Found, "https://evil.example.com/steal?x=1"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(HttpErrorIds.RedirectToForeignHost, error.ErrorId);
        Assert.Equal(302, error.StatusCode);
        Assert.Contains("https://evil.example.com", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("steal", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task RedirectToAnotherResourceOfTheTenantIsRefusedToo()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, SharePointUrl, () => Redirect(HttpStatusCode.TemporaryRedirect, "https://contoso-admin.sharepoint.com/_api/web"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(SharePointUrl)));

        Assert.Equal(HttpErrorIds.RedirectToForeignHost, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task RedirectWithinTheResourceIsFollowedOnceWithTheToken()
    {
        using var harness = new SenderHarness();
        const string moved = "https://contoso.sharepoint.com/sites/new/_api/web";
        harness.Handler
            .Expect(HttpMethod.Get, SharePointUrl, () => Redirect(HttpStatusCode.MovedPermanently, "/sites/new/_api/web"))
            .Expect(HttpMethod.Get, moved, () => StrictHttpHandler.Ok("{\"Title\":\"New\"}"));

        using var document = await harness.Sender.GetJsonAsync(new Uri(SharePointUrl));

        Assert.Equal("New", document.RootElement.GetProperty("Title").GetString());
        Assert.All(harness.Handler.Received, r => Assert.Equal("Bearer token-1", r.Authorization));
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task ASecondRedirectIsNotFollowed()
    {
        using var harness = new SenderHarness();
        const string hop = "https://contoso.sharepoint.com/hop";
        harness.Handler
            .Expect(HttpMethod.Get, SharePointUrl, () => Redirect(HttpStatusCode.Found, hop))
            .Expect(HttpMethod.Get, hop, () => Redirect(HttpStatusCode.Found, SharePointUrl));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(SharePointUrl)));

        Assert.Equal(HttpErrorIds.RedirectNotFollowed, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task NonHttpsUrlIsRefusedBeforeAnyTokenIsFetched()
    {
        using var harness = new SenderHarness();

        var error = await Assert.ThrowsAsync<M365Exception>(() => harness.Sender.GetJsonAsync(new Uri("http://graph.microsoft.com/v1.0/me")));

        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, error.ErrorId);
        Assert.Equal(0, harness.Acquirer.Calls);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task AFactoryThatChangesHostOnRetryIsStoppedBeforeTheTokenLeaves()
    {
        using var harness = new SenderHarness();
        int calls = 0;
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Status(503, "1"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, ++calls == 1 ? GraphUrl : "https://evil.example.com/"),
            RequestKind.Read));

        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task VerboseRecordsEachAttemptWithoutTokenOrQuerySecrets()
    {
        using var harness = new SenderHarness();
        const string url = "https://contoso.sharepoint.com/_api/web/GetFileByServerRelativeUrl('/a.txt')/$value?tempauth=eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.sig&sig=abc123&$top=5";
        harness.Handler
            .Expect(HttpMethod.Get, url, () => StrictHttpHandler.Status(503, "0.5"))
            .Expect(HttpMethod.Get, url, () => StrictHttpHandler.Ok());

        using var response = await harness.Sender.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), RequestKind.Read);

        string[] lines = harness.Verbose.ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Contains("-> 503 ServiceUnavailable (attempt 1)", lines[0], StringComparison.Ordinal);
        Assert.Contains("retry 1 of 3 in 0.5 s after 503", lines[1], StringComparison.Ordinal);
        Assert.Contains("-> 200 OK (attempt 2)", lines[2], StringComparison.Ordinal);
        Assert.All(lines, line =>
        {
            Assert.StartsWith("GET https://contoso.sharepoint.com/_api/web/", line, StringComparison.Ordinal);
            Assert.Contains("tempauth=***", line, StringComparison.Ordinal);
            Assert.Contains("sig=***", line, StringComparison.Ordinal);
            Assert.Contains("$top=5", line, StringComparison.Ordinal);
            Assert.DoesNotContain("abc123", line, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("token-1", line, StringComparison.Ordinal);
        });
        harness.Handler.AssertAllConsumed();
    }

    private static HttpResponseMessage Unauthorized()
    {
        HttpResponseMessage response = StrictHttpHandler.Json(HttpStatusCode.Unauthorized, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired or is not yet valid.\"}}");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");
        return response;
    }

    private static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }
}
