using System.Globalization;
using System.Net;
using System.Net.Sockets;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>Kiota's RetryHandlerTests matrix, on a fake clock: which answers are retried, and how long each wait is.</summary>
public sealed class RetryMatrixTests
{
    private const string Url = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=5";

    public static IEnumerable<object?[]> Matrix()
    {
        foreach (int status in new[] { 429, 503, 504 })
        {
            yield return new object?[] { status, "2", 2_000.0 };
            yield return new object?[] { status, "0.249", 249.0 };
            yield return new object?[] { status, "date+90", 90_000.0 };
            yield return new object?[] { status, null, null };
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task RetryableStatusIsRetriedAfterTheAdvertisedDelay(int status, string? retryAfter, double? expectedMilliseconds)
    {
        using var harness = new SenderHarness();
        string? header = retryAfter == "date+90"
            ? SenderHarness.Start.AddSeconds(90).ToString("R", CultureInfo.InvariantCulture)
            : retryAfter;
        harness.Handler
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(status, header))
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok("{\"value\":[]}"));

        using var document = await harness.Sender.GetJsonAsync(new Uri(Url));

        Assert.True(document.RootElement.TryGetProperty("value", out _));
        harness.Handler.AssertAllConsumed();
        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.Equal(2, requests.Length);
        TimeSpan waited = requests[1].At - requests[0].At;
        TimeSpan delay = Assert.Single(harness.Delays);
        Assert.Equal(delay, waited);
        if (expectedMilliseconds is double ms)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(ms), delay);
        }
        else
        {
            // No Retry-After: exponential back-off with jitter around the 2 s base, never zero and never above the cap.
            Assert.InRange(delay, TimeSpan.FromMilliseconds(1), new HttpRetryOptions().MaxDelay);
        }

        Assert.Contains(harness.Verbose, line => line.Contains($"retry 1 of 3 in ", StringComparison.Ordinal) && line.Contains(status.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExhaustedRetriesGiveRequestThrottledWithStatusAndServiceCode()
    {
        using var harness = new SenderHarness();
        for (int i = 0; i < 4; i++)
        {
            harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(429, "1", "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Slow down.\"}}"));
        }

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)));

        Assert.Equal(HttpErrorIds.RequestThrottled, error.ErrorId);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal("TooManyRequests", error.ServiceErrorCode);
        Assert.Equal("Slow down.", error.ServiceMessage);
        Assert.Equal(4, error.Attempts);
        Assert.Equal("GET", error.Method);
        Assert.Equal(Url, error.Target);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RecommendedAction);
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, harness.Delays.Select(d => d.TotalSeconds));
        harness.Handler.AssertAllConsumed();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(10, 11)]
    public async Task MaxRetriesBoundsTheAttempts(int maxRetries, int attempts)
    {
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = maxRetries });
        for (int i = 0; i < attempts; i++)
        {
            harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(503, "0.01"));
        }

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)));

        Assert.Equal(HttpErrorIds.ServiceUnavailable, error.ErrorId);
        Assert.Equal(attempts, error.Attempts);
        harness.Handler.AssertAllConsumed();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void MaxRetriesOutsideZeroToTenIsRejected(int maxRetries)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SenderHarness(new HttpRetryOptions { MaxRetries = maxRetries }));
        Assert.Equal(nameof(HttpRetryOptions.MaxRetries), ex.ParamName);
    }

    [Theory]
    [InlineData(400, HttpErrorIds.BadRequest)]
    [InlineData(403, HttpErrorIds.AccessDenied)]
    [InlineData(404, HttpErrorIds.ResourceNotFound)]
    [InlineData(409, HttpErrorIds.Conflict)]
    [InlineData(500, HttpErrorIds.ServiceError)]
    public async Task NonRetryableStatusFailsAtOnceWithItsId(int status, string errorId)
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(status, "1"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Empty(harness.Delays);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CreatingWriteIsNotRetriedOn504()
    {
        using var harness = new SenderHarness();
        const string create = "https://contoso.sharepoint.com/_api/SPSiteManager/Create";
        harness.Handler.Expect(HttpMethod.Post, create, () => StrictHttpHandler.Status(504, "1"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() =>
            harness.Sender.SendJsonAsync(HttpMethod.Post, new Uri(create), new { request = new { Title = "x" } }, RequestKind.CreatingWrite));

        Assert.Equal(HttpErrorIds.GatewayTimeout, error.ErrorId);
        Assert.Equal(1, error.Attempts);
        harness.Handler.AssertAllConsumed();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task CreatingWriteIsRetriedWhereTheServiceDidNotAct(int status)
    {
        using var harness = new SenderHarness();
        const string create = "https://contoso.sharepoint.com/_api/SPSiteManager/Create";
        harness.Handler
            .Expect(HttpMethod.Post, create, () => StrictHttpHandler.Status(status, "1"))
            .Expect(HttpMethod.Post, create, () => StrictHttpHandler.Ok("{\"SiteStatus\":2}"));

        using var result = await harness.Sender.SendJsonAsync(HttpMethod.Post, new Uri(create), new { request = new { Title = "x" } }, RequestKind.CreatingWrite);

        Assert.Equal(2, result!.RootElement.GetProperty("SiteStatus").GetInt32());
        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.All(requests, r => Assert.Equal("{\"request\":{\"Title\":\"x\"}}", r.Body));
        Assert.All(requests, r => Assert.Equal("application/json;odata=nometadata", r.Accept?.Replace(" ", "")));
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task StreamBodyIsNotRetried()
    {
        using var harness = new SenderHarness();
        const string upload = "https://contoso.sharepoint.com/_api/web/files/add";
        harness.Handler.Expect(HttpMethod.Post, upload, () => StrictHttpHandler.Status(503, "1"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, upload) { Content = new StreamContent(new MemoryStream(new byte[] { 1, 2, 3 })) },
            RequestKind.IdempotentWrite));

        Assert.Equal(HttpErrorIds.ServiceUnavailable, error.ErrorId);
        Assert.Equal(1, error.Attempts);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task RetryAfterAboveTheCapWaitsOnlyTheCap()
    {
        using var harness = new SenderHarness(new HttpRetryOptions { MaxDelay = TimeSpan.FromMinutes(1) }, autoAdvance: false);
        var waiting = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Time.TimerCreated += due =>
        {
            if (due != SenderHarness.AttemptTimeout)
            {
                waiting.TrySetResult(due);
            }
        };
        harness.Handler
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(429, "3600"))
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok());

        Task<System.Text.Json.JsonDocument> send = harness.Sender.GetJsonAsync(new Uri(Url));
        Assert.Equal(TimeSpan.FromMinutes(1), await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        harness.Time.Fake.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.False(send.IsCompleted);
        Assert.Single(harness.Handler.Received);

        harness.Time.Fake.Advance(TimeSpan.FromSeconds(1));
        using var document = await send.WaitAsync(TimeSpan.FromSeconds(10));
        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.Equal(TimeSpan.FromMinutes(1), requests[1].At - requests[0].At);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CancellationDuringTheWaitEndsAtOnce()
    {
        using var harness = new SenderHarness(new HttpRetryOptions { MaxDelay = TimeSpan.FromHours(1) }, autoAdvance: false);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Time.TimerCreated += due =>
        {
            if (due == TimeSpan.FromHours(1))
            {
                waiting.TrySetResult();
            }
        };
        harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(429, "3600"));
        using var cts = new CancellationTokenSource();

        Task<System.Text.Json.JsonDocument> send = harness.Sender.GetJsonAsync(new Uri(Url), cts.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SenderHarness.Start, harness.Time.GetUtcNow());
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task TransientNetworkErrorIsRetried()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, Url, new Func<HttpResponseMessage>(() => throw new HttpRequestException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))))
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok());

        using var document = await harness.Sender.GetJsonAsync(new Uri(Url));

        Assert.Single(harness.Delays);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task DnsFailureIsNotRetried()
    {
        using var harness = new SenderHarness();
        harness.Handler.Expect(HttpMethod.Get, Url, new Func<HttpResponseMessage>(() => throw new HttpRequestException("Name or service not known", new SocketException((int)SocketError.HostNotFound))));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)));

        Assert.Equal(HttpErrorIds.ServiceUnreachable, error.ErrorId);
        Assert.Null(error.StatusCode);
        Assert.Contains("host name could not be resolved", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Delays);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CreatingWriteIsNotRetriedAfterANetworkError()
    {
        using var harness = new SenderHarness();
        const string create = "https://graph.microsoft.com/v1.0/groups";
        harness.Handler.Expect(HttpMethod.Post, create, new Func<HttpResponseMessage>(() => throw new HttpRequestException("Connection reset by peer")));

        var error = await Assert.ThrowsAsync<M365HttpException>(() =>
            harness.Sender.SendJsonAsync(HttpMethod.Post, new Uri(create), new { displayName = "g" }, RequestKind.CreatingWrite));

        Assert.Equal(HttpErrorIds.ServiceUnreachable, error.ErrorId);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task AttemptTimeoutIsRetried()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .ExpectAsync(HttpMethod.Get, Url, async (request, ct) =>
            {
                // A stalled server: the attempt's timeout timer already exists, so moving the clock past it fires it.
                harness.Time.Fake.Advance(SenderHarness.AttemptTimeout);
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            })
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok());

        using var document = await harness.Sender.GetJsonAsync(new Uri(Url)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(harness.Verbose, line => line.Contains("after attempt timed out", StringComparison.Ordinal));
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task HttpClientTimeoutIsTreatedAsTransient()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, Url, new Func<HttpResponseMessage>(() => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout")))
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok());

        using var document = await harness.Sender.GetJsonAsync(new Uri(Url));

        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task OverallBudgetStopsTheRetries()
    {
        using var harness = new SenderHarness(new HttpRetryOptions { TotalTimeout = TimeSpan.FromSeconds(30) });
        harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(503, "60"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(HttpErrorIds.RequestTimedOut, error.ErrorId);
        Assert.Equal(1, error.Attempts);
        harness.Handler.AssertAllConsumed();
    }
}
