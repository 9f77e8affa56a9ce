using System.Net;
using System.Text;
using System.Text.Json;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>OData paging (loops, foreign links, limits) and bodies that are not the JSON asked for.</summary>
public sealed class PagingAndJsonTests
{
    private const string First = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2";
    private const string Second = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2&$skiptoken=2";
    private const string Third = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2&$skiptoken=4";

    [Fact]
    public async Task FollowsNextLinksToTheLastPage()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, First, () => Page(Second, "a", "b"))
            .Expect(HttpMethod.Get, Second, () => Page(Third, "c", "d"))
            .Expect(HttpMethod.Get, Third, () => Page(null, "e"));
        var ids = new List<string>();

        int pages = await harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) =>
        {
            ids.AddRange(value.EnumerateArray().Select(item => item.GetProperty("id").GetString()!));
            return Task.CompletedTask;
        });

        Assert.Equal(3, pages);
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, ids);
        Assert.All(harness.Handler.Received, r => Assert.Equal("Bearer token-1", r.Authorization));
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task SharePointNextLinkIsFollowedToo()
    {
        using var harness = new SenderHarness();
        const string list = "https://contoso.sharepoint.com/_api/web/lists/getbytitle('Docs')/items?$top=1";
        const string next = "https://contoso.sharepoint.com/_api/web/lists/getbytitle('Docs')/items?%24skiptoken=Paged%3dTRUE&$top=1";
        harness.Handler
            .Expect(HttpMethod.Get, list, () => StrictHttpHandler.Ok("{\"value\":[{\"id\":\"1\"}],\"odata.nextLink\":\"" + next + "\"}"))
            .Expect(HttpMethod.Get, next, () => StrictHttpHandler.Ok("{\"value\":[{\"id\":\"2\"}]}"));
        int items = 0;

        int pages = await harness.Sender.ForEachPageAsync(new Uri(list), (value, ct) =>
        {
            items += value.GetArrayLength();
            return Task.CompletedTask;
        });

        Assert.Equal(2, pages);
        Assert.Equal(2, items);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task NextLinkToAnotherHostIsRefusedAndNeverRequested()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => Page("https://evil.example.com/v1.0/servicePrincipals?$skiptoken=2", "a"));
        int handed = 0;

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) =>
        {
            handed++;
            return Task.CompletedTask;
        }));

        Assert.Equal(HttpErrorIds.ODataNextLinkForeignHost, error.ErrorId);
        Assert.Equal(First, error.Target);
        Assert.Contains("https://evil.example.com", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, handed);
        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }

    [Theory]
    [InlineData("https://contoso.sharepoint.com/_api/web/lists")]
    [InlineData("http://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=2")]
    [InlineData("https://graph.microsoft.com:8443/v1.0/servicePrincipals?$skiptoken=2")]
    [InlineData("javascript:alert(1)")]
    public async Task NextLinkOutsideTheResourceIsRefused(string nextLink)
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => Page(nextLink, "a"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ODataNextLinkForeignHost, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task NextLinkLoopIsDetected()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, First, () => Page(Second, "a"))
            .Expect(HttpMethod.Get, Second, () => Page(First, "b"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ODataNextLinkLoop, error.ErrorId);
        Assert.Equal(Second, error.Target);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task PageCountIsBounded()
    {
        using var harness = new SenderHarness(new HttpRetryOptions { MaxPages = 2 });
        harness.Handler
            .Expect(HttpMethod.Get, First, () => Page(Second, "a"))
            .Expect(HttpMethod.Get, Second, () => Page(Third, "b"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ODataPageLimitExceeded, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task PageWithoutValueArrayIsInvalid()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => StrictHttpHandler.Ok("{\"id\":\"not-a-collection\"}"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ODataPageInvalid, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task MalformedJsonIsResponseNotJsonWithoutTheBody()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => StrictHttpHandler.Ok("{\"value\":[{\"id\":\"7f3c\",\"client_secret\":\"hunter2"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(First)));

        Assert.Equal(HttpErrorIds.ResponseNotJson, error.ErrorId);
        Assert.Equal(200, error.StatusCode);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task HtmlPageIsResponseNotJson()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<!DOCTYPE html><html><body>Sign in</body></html>", Encoding.UTF8, "text/html"),
        });

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(First)));

        Assert.Equal(HttpErrorIds.ResponseNotJson, error.ErrorId);
        Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task EmptyBodyIsResponseNotJsonForAReadButNullForAWrite()
    {
        using var harness = new SenderHarness();
        const string group = "https://graph.microsoft.com/v1.0/groups/1";
        harness.Handler
            .Expect(HttpMethod.Get, group, () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Array.Empty<byte>()) })
            .Expect(new HttpMethod("PATCH"), group, () => new HttpResponseMessage(HttpStatusCode.NoContent));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(group)));
        JsonDocument? patched = await harness.Sender.SendJsonAsync(new HttpMethod("PATCH"), new Uri(group), "{\"displayName\":\"x\"}", RequestKind.IdempotentWrite);

        Assert.Equal(HttpErrorIds.ResponseNotJson, error.ErrorId);
        Assert.Null(patched);
        Assert.Equal("{\"displayName\":\"x\"}", harness.Handler.Received.Last().Body);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task HtmlErrorPageAfterRetriesKeepsTheStatusId()
    {
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 1 });
        for (int i = 0; i < 2; i++)
        {
            harness.Handler.Expect(HttpMethod.Get, First, () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("<html><body>Service Unavailable</body></html>", Encoding.UTF8, "text/html"),
            });
        }

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(First)));

        Assert.Equal(HttpErrorIds.ServiceUnavailable, error.ErrorId);
        Assert.Null(error.ServiceErrorCode);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
        harness.Handler.AssertAllConsumed();
    }

    [Theory]
    [InlineData("{\"odata.error\":{\"code\":\"-2147024894, System.IO.FileNotFoundException\",\"message\":{\"lang\":\"en-US\",\"value\":\"File Not Found.\"}}}")]
    [InlineData("{\"error\":{\"code\":\"-2147024894, System.IO.FileNotFoundException\",\"message\":{\"lang\":\"en-US\",\"value\":\"File Not Found.\"}}}")]
    public async Task SharePointErrorShapesAreRead(string body)
    {
        using var harness = new SenderHarness();
        const string file = "https://contoso.sharepoint.com/_api/web/GetFileByServerRelativeUrl('/x')";
        harness.Handler.Expect(HttpMethod.Get, file, () => StrictHttpHandler.Json(HttpStatusCode.NotFound, body));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(file)));

        Assert.Equal(HttpErrorIds.ResourceNotFound, error.ErrorId);
        Assert.Equal("-2147024894, System.IO.FileNotFoundException", error.ServiceErrorCode);
        Assert.Equal("File Not Found.", error.ServiceMessage);
        Assert.Contains("File Not Found.", error.Message, StringComparison.Ordinal);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task ServiceMessageIsRedactedAndCapped()
    {
        using var harness = new SenderHarness();
        string echoed = "Bad client_secret=abc123 and Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2ln " + new string('x', 2000);
        harness.Handler.Expect(HttpMethod.Get, First, () => StrictHttpHandler.Json(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { error = new { code = "BadRequest", message = echoed } })));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(First)));

        Assert.Equal(HttpErrorIds.BadRequest, error.ErrorId);
        Assert.DoesNotContain("abc123", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", error.Message, StringComparison.Ordinal);
        Assert.True(error.ServiceMessage!.Length <= 501, $"length {error.ServiceMessage.Length}");
        harness.Handler.AssertAllConsumed();
    }

    private static HttpResponseMessage Page(string? next, params string[] ids)
    {
        var body = new Dictionary<string, object> { ["value"] = ids.Select(id => new { id }).ToArray() };
        if (next != null)
        {
            body["@odata.nextLink"] = next;
        }

        return StrictHttpHandler.Ok(JsonSerializer.Serialize(body));
    }

    // Found by the OData and batch properties: GetString and TryGetProperty refuse an escape that is not valid UTF-16, and an
    // InvalidOperationException escaped the pager (and the batch sender); such an answer is now ResponseNotJson, read once.
    [Fact]
    public async Task AnAnswerWithAnEscapeThatIsNotValidUtf16IsNotJson()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => StrictHttpHandler.Ok("{\"value\":[{\"id\":\"a\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/x\\ud800\"}"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ResponseNotJson, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    // Found by the batch properties: an error body with such an escape threw InvalidOperationException out of the error reader.
    [Fact]
    public async Task AnErrorBodyWithAnEscapeThatIsNotValidUtf16StillGivesTheStatusError()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, First, () => StrictHttpHandler.Status(400, json: "{\"error\":{\"code\":\"x\",\"message\":\"bad \\udfff\"}}"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(First)));

        Assert.Equal(HttpErrorIds.BadRequest, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    // Found by SharpFuzz (the batch target): JSON parsing does not check the bytes inside a string, so a string with a byte
    // that is not UTF-8 parsed, and GetString threw InvalidOperationException out of the batch sender (and the pager).
    [Fact]
    public async Task AnAnswerWithAStringThatIsNotUtf8IsNotJson()
    {
        using var harness = new SenderHarness();
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"value\":[],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/x"), 0x87, .. Encoding.UTF8.GetBytes("\"}")];
        harness.Handler.Expect(HttpMethod.Get, First, () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } });

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(First), (value, ct) => Task.CompletedTask));

        Assert.Equal(HttpErrorIds.ResponseNotJson, error.ErrorId);
        Assert.Contains("not UTF-8", error.Message);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task ABatchAnswerWithAStringThatIsNotUtf8IsNotJson()
    {
        using var harness = new SenderHarness();
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"responses\":[{\"id\":\"1\",\"status\":200,\"headers\":{\"x\":\""), 0xF5, .. Encoding.UTF8.GetBytes("\"}}]}")];
        harness.Handler.Expect(HttpMethod.Post, "https://graph.microsoft.com/v1.0/$batch", () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } });
        var sender = new M365.Core.Services.Graph.GraphBatchSender(harness.Sender, new Uri("https://graph.microsoft.com"));

        var answer = Assert.Single(await sender.SendAsync([M365.Core.Services.Graph.GraphBatchRequest.Get("servicePrincipals/0")]));

        Assert.True(answer.IsBatchFailure);
        Assert.Equal(HttpErrorIds.ResponseNotJson, answer.Error!.ErrorId);
        harness.Handler.AssertAllConsumed();
    }
}
