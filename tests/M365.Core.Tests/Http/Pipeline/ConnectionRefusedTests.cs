using System.Net.Sockets;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// How the pipeline treats a refused connection (a port nobody listens on, a restarting service), on a fake clock: a read
/// is retried with the default 3 retries, whose exponential back-off with jitter (2 s median first delay) spans 5.7 to
/// 11.4 s in all, so a 5-second refusal is outlasted; then it fails with ServiceUnreachable. Cut short while retrying
/// (Ctrl+C, -Timeout), the cancellation names the refusal.
/// </summary>
public sealed class ConnectionRefusedTests
{
    private const string Url = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=1";

    private static HttpResponseMessage Refused() =>
        throw new HttpRequestException("Connection refused (graph.microsoft.com:443)", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task ARefusedReadIsTriedFourTimesOverMoreThanFiveSecondsThenFailsWithServiceUnreachable()
    {
        // The jitter is random: sample it. Polly's formula makes the sum of the three delays 2 s x f(2 + u) / 1.4 with
        // f(t) = 2^t tanh(sqrt(4t)) and u uniform in [0, 1): between 5.67 and 11.4 s, whatever u is.
        var totals = new List<TimeSpan>();
        for (var i = 0; i < 200; i++)
        {
            using var harness = new SenderHarness();
            for (var attempt = 0; attempt < 4; attempt++)
            {
                harness.Handler.Expect(HttpMethod.Get, Url, Refused);
            }

            var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(Url)));

            Assert.Equal(HttpErrorIds.ServiceUnreachable, error.ErrorId);
            Assert.Equal(4, error.Attempts);
            Assert.Null(error.StatusCode);
            Assert.Contains("could not be reached (Connection refused", error.Message, StringComparison.Ordinal);
            Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(error.RecommendedAction));
            Assert.Equal(3, harness.Delays.Count);
            Assert.All(harness.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), new HttpRetryOptions().MaxDelay));
            harness.Handler.AssertAllConsumed();
            totals.Add(harness.Delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d));
        }

        Assert.All(totals, t => Assert.InRange(t, TimeSpan.FromSeconds(5.6), TimeSpan.FromSeconds(11.5)));
    }

    [Fact]
    public async Task ARefusedReadSucceedsOnceThePortAnswersAgain()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, Url, Refused)
            .Expect(HttpMethod.Get, Url, Refused)
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok("{\"value\":[]}"));

        using var document = await harness.Sender.GetJsonAsync(new Uri(Url));

        Assert.Equal(2, harness.Delays.Count);
        Assert.Contains(harness.Verbose, line => line.Contains("retry 2 of 3", StringComparison.Ordinal) && line.Contains("Connection refused", StringComparison.Ordinal));
        Assert.Equal(1, harness.Acquirer.Calls);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CancelledWhileRetryingARefusedConnectionSaysItWasRefused()
    {
        using var harness = new SenderHarness(autoAdvance: false);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Time.TimerCreated += due =>
        {
            if (due != SenderHarness.AttemptTimeout)
            {
                waiting.TrySetResult();
            }
        };
        harness.Handler.Expect(HttpMethod.Get, Url, Refused);
        using var cts = new CancellationTokenSource();

        Task<System.Text.Json.JsonDocument> send = harness.Sender.GetJsonAsync(new Uri(Url), cts.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(cts.Token, cancelled.CancellationToken);
        var last = Assert.IsType<M365HttpException>(cancelled.InnerException);
        Assert.Equal(HttpErrorIds.ServiceUnreachable, last.ErrorId);
        Assert.Contains("Connection refused", last.Message, StringComparison.Ordinal);
        Assert.Contains("was cancelled while retrying", cancelled.Message, StringComparison.Ordinal);
        Assert.Equal(SenderHarness.Start, harness.Time.GetUtcNow());
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CancelledWhileWaitingOutA503SaysWhatTheServiceAnswered()
    {
        using var harness = new SenderHarness(autoAdvance: false);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Time.TimerCreated += due =>
        {
            if (due == TimeSpan.FromSeconds(30))
            {
                waiting.TrySetResult();
            }
        };
        harness.Handler.Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Status(503, "30"));
        using var cts = new CancellationTokenSource();

        Task<System.Text.Json.JsonDocument> send = harness.Sender.GetJsonAsync(new Uri(Url), cts.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        var last = Assert.IsType<M365HttpException>(cancelled.InnerException);
        Assert.Equal(HttpErrorIds.ServiceUnavailable, last.ErrorId);
        Assert.Equal(503, last.StatusCode);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task CancelledBeforeAnyAttemptFailedStaysAPlainCancellation()
    {
        using var harness = new SenderHarness();
        using var cts = new CancellationTokenSource();
        harness.Handler.ExpectAsync(HttpMethod.Get, Url, async (request, ct) =>
        {
            cts.Cancel();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Sender.GetJsonAsync(new Uri(Url), cts.Token).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsNotType<M365HttpException>(cancelled.InnerException);
        harness.Handler.AssertAllConsumed();
    }
}
