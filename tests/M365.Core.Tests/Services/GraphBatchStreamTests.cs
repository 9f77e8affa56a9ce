using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using M365.Core.Http;
using M365.Core.Services.Graph;
using M365.Core.Tests.Http.Pipeline;

namespace M365.Core.Tests.Services;

/// <summary>
/// Many Graph batches at once (issue 19): answers in input order whatever order the batches finish in, a bounded number
/// in flight, one Retry-After gate for all of them, throttled items merged into the next batches with their own retry
/// budget, and cancellation that reaches every batch in flight. Against an in-memory Graph and a fake clock.
/// </summary>
public sealed class GraphBatchStreamTests
{
    private static readonly Uri GraphOrigin = new("https://graph.microsoft.com");

    /// <summary>One POST $batch the fake Graph received: the ids of its items, in body order, and the request's token.</summary>
    private sealed record Posted(string[] Ids, CancellationToken Token);

    /// <summary>A Graph $batch endpoint whose answer to each POST is decided by the test, possibly later.</summary>
    private sealed class BatchServer(Func<Posted, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private int _current;
        private int _max;

        public ConcurrentQueue<Posted> Posts { get; } = new();

        public int MaxConcurrent => Volatile.Read(ref _max);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using JsonDocument body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var posted = new Posted(body.RootElement.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray(), cancellationToken);
            int now = Interlocked.Increment(ref _current);
            for (int seen = Volatile.Read(ref _max); now > seen && Interlocked.CompareExchange(ref _max, now, seen) != seen; seen = Volatile.Read(ref _max))
            {
            }

            Posts.Enqueue(posted);
            try
            {
                HttpResponseMessage response = await answer(posted);
                response.RequestMessage = request;
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }

    /// <summary>A batch answer: each id 200 with the body {"n": id}, unless <paramref name="status"/> says otherwise (with Retry-After).</summary>
    private static HttpResponseMessage Answer(IEnumerable<string> ids, Func<string, (int Status, string? RetryAfter)>? status = null)
    {
        var items = ids.Select(id =>
        {
            (int code, string? retryAfter) = status?.Invoke(id) ?? (200, null);
            string headers = retryAfter is null ? string.Empty : ",\"headers\":{\"Retry-After\":\"" + retryAfter + "\"}";
            return "{\"id\":\"" + id + "\",\"status\":" + code + headers + ",\"body\":{\"n\":\"" + id + "\"}}";
        });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"responses\":[" + string.Join(",", items) + "]}", Encoding.UTF8, "application/json") };
    }

    private static GraphBatchRequest[] Requests(int count) => Enumerable.Range(1, count).Select(i => GraphBatchRequest.Get("/items/" + i)).ToArray();

    private static (SenderHarness Harness, GraphBatchSender Sender) Make(BatchServer server, int maxInFlight = 4, int maxRetries = 3, bool autoAdvance = true)
    {
        var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(100) }, autoAdvance, server);
        return (harness, new GraphBatchSender(harness.Sender, GraphOrigin) { MaxBatchesInFlight = maxInFlight });
    }

    /// <summary>Waits (on real time, generously) for a condition the stream reaches on other threads.</summary>
    private static async Task Until(Func<bool> condition)
    {
        for (var watch = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(5))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "The condition was not reached.");
        }
    }

    private static void AssertInInputOrder(IReadOnlyList<GraphBatchResponse> answers, int count)
    {
        Assert.Equal(count, answers.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i, answers[i].Index);
            Assert.True(answers[i].IsSuccess, answers[i].Error?.Message);
            Assert.Equal((i + 1).ToString(), answers[i].Body!.Value.GetProperty("n").GetString());
        }
    }

    [Fact]
    public async Task AnswersComeOutInInputOrderWhenTheFirstBatchFinishesLast()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new ConcurrentQueue<string>();
        var server = new BatchServer(async posted =>
        {
            if (posted.Ids.Contains("1"))
            {
                await first.Task;
            }
            else if (finished.Count == 2)
            {
                first.TrySetResult();
            }

            finished.Enqueue(posted.Ids[0]);
            return Answer(posted.Ids);
        });
        var (harness, sender) = Make(server);
        using var owned = harness;

        IReadOnlyList<GraphBatchResponse> answers = await sender.SendAsync(Requests(100));

        AssertInInputOrder(answers, 100);
        Assert.NotEqual("1", finished.First());
        Assert.Equal(5, server.Posts.Count);
    }

    [Fact]
    public async Task TheFirstAnswersComeOutBeforeTheLastInputIsRead()
    {
        int read = 0;
        IEnumerable<GraphBatchRequest> Lazy()
        {
            foreach (GraphBatchRequest request in Requests(2000))
            {
                read++;
                yield return request;
            }
        }

        var (harness, sender) = Make(new BatchServer(posted => Task.FromResult(Answer(posted.Ids))));
        using var owned = harness;
        int readAtFirstAnswer = -1;
        int count = 0;

        await foreach (GraphBatchResponse answer in sender.SendAllAsync(Lazy()))
        {
            readAtFirstAnswer = readAtFirstAnswer < 0 ? read : readAtFirstAnswer;
            Assert.Equal(count++, answer.Index);
        }

        Assert.Equal(2000, count);
        Assert.InRange(readAtFirstAnswer, 1, sender.Open().Window + 1);
    }

    [Fact]
    public async Task NoMoreThanTheBoundOfBatchesIsInFlightAndTheWindowBoundsWhatIsHeld()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new BatchServer(async posted =>
        {
            await release.Task;
            return Answer(posted.Ids);
        });
        var (harness, sender) = Make(server);
        using var owned = harness;
        using GraphBatchStream stream = sender.Open();
        GraphBatchRequest[] requests = Requests(1000);

        int added = 0;
        while (added < requests.Length && stream.TryAdd(requests[added]))
        {
            added++;
        }

        await Until(() => server.Posts.Count == 4);
        Assert.Equal(stream.Window, added);
        Assert.Equal(4, stream.BatchesSent);
        Assert.Equal(4, stream.InFlight);
        release.SetResult();

        var answers = new List<GraphBatchResponse>();
        foreach (GraphBatchRequest request in requests.Skip(added))
        {
            while (!stream.TryAdd(request))
            {
                if (stream.TryTake(out GraphBatchResponse? answer))
                {
                    answers.Add(answer);
                }
                else
                {
                    await stream.WaitAsync();
                }
            }
        }

        await foreach (GraphBatchResponse answer in stream.ReadRemainingAsync())
        {
            answers.Add(answer);
        }

        AssertInInputOrder(answers, 1000);
        Assert.Equal(4, server.MaxConcurrent);
        Assert.Equal(50, server.Posts.Count);
    }

    [Fact]
    public async Task AnItemsRetryAfterHoldsEveryNextBatchAndTheItemRidesInTheNextOne()
    {
        var held = new ConcurrentDictionary<string, TaskCompletionSource<HttpResponseMessage>>();
        var server = new BatchServer(posted => server_answer(posted));
        Task<HttpResponseMessage> server_answer(Posted posted) =>
            posted.Ids[0] is "1" or "21" && posted.Ids.Length == 20 && !posted.Ids.Contains("41")
                ? held.GetOrAdd(posted.Ids[0], _ => new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                : Task.FromResult(Answer(posted.Ids));
        var (harness, sender) = Make(server, maxInFlight: 2, autoAdvance: false);
        using var owned = harness;
        using GraphBatchStream stream = sender.Open();
        foreach (GraphBatchRequest request in Requests(60))
        {
            Assert.True(stream.TryAdd(request));
        }

        await Until(() => held.Count == 2);
        held["1"].SetResult(Answer(Enumerable.Range(1, 20).Select(i => i.ToString()), id => id == "1" ? (429, "5") : (200, null)));
        await Until(() => stream.InFlight == 1);
        held["21"].SetResult(Answer(Enumerable.Range(21, 20).Select(i => i.ToString())));
        await Until(() => stream.InFlight == 0);

        // Two slots free and 20 new requests waiting, but the gate holds them for the item's Retry-After.
        Assert.Equal(2, server.Posts.Count);
        harness.Time.Fake.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(2, stream.BatchesSent);
        harness.Time.Fake.Advance(TimeSpan.FromSeconds(0.1));
        await Until(() => server.Posts.Count == 3);

        Posted third = server.Posts.ElementAt(2);
        Assert.Equal(["1", .. Enumerable.Range(41, 19).Select(i => i.ToString())], third.Ids);
        var answers = new List<GraphBatchResponse>();
        await foreach (GraphBatchResponse answer in stream.ReadRemainingAsync())
        {
            answers.Add(answer);
        }

        AssertInInputOrder(answers, 60);
        Assert.Equal(2, answers[0].Attempts);
        Assert.Equal(["60"], server.Posts.Last().Ids);
        Assert.Contains(harness.Verbose, line => line.Contains("1 of 20 batch items throttled", StringComparison.Ordinal) && line.Contains("in 5 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWholeBatchsRetryAfterHoldsTheOtherBatchesToo()
    {
        var second = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondPosted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int firstPosts = 0;
        var server = new BatchServer(async posted =>
        {
            if (posted.Ids[0] == "1" && Interlocked.Increment(ref firstPosts) == 1)
            {
                // Answered once the second batch is out: a Retry-After that came first would rightly hold it back unsent.
                await secondPosted.Task.WaitAsync(TimeSpan.FromSeconds(30));
                var throttled = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("{\"error\":{\"code\":\"TooManyRequests\"}}", Encoding.UTF8, "application/json") };
                throttled.Headers.TryAddWithoutValidation("Retry-After", "5");
                return throttled;
            }

            if (posted.Ids[0] == "21")
            {
                secondPosted.TrySetResult();
                return await second.Task;
            }

            return Answer(posted.Ids);
        });
        var (harness, sender) = Make(server, maxInFlight: 2, autoAdvance: false);
        using var owned = harness;
        var pollyWait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Time.TimerCreated += due => { if (due == TimeSpan.FromSeconds(5)) { pollyWait.TrySetResult(); } };
        using GraphBatchStream stream = sender.Open();
        foreach (GraphBatchRequest request in Requests(60))
        {
            Assert.True(stream.TryAdd(request));
        }

        await pollyWait.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Until(() => server.Posts.Count == 2);
        second.SetResult(Answer(Enumerable.Range(21, 20).Select(i => i.ToString())));
        await Until(() => stream.InFlight == 1);

        // The first batch waits for its Retry-After inside the pipeline; the slot the second one freed waits with it.
        Assert.Equal(2, server.Posts.Count);
        Assert.Equal(2, stream.BatchesSent);
        harness.Time.Fake.Advance(TimeSpan.FromSeconds(5));
        var answers = new List<GraphBatchResponse>();
        await foreach (GraphBatchResponse answer in stream.ReadRemainingAsync())
        {
            answers.Add(answer);
        }

        AssertInInputOrder(answers, 60);
        Assert.Equal(2, firstPosts);
        Assert.Equal(4, server.Posts.Count);
    }

    [Fact]
    public async Task ThrottledItemsAreMergedIntoTheNextBatchesInsteadOfGoingOutAlone()
    {
        var seen = new ConcurrentDictionary<string, int>();
        var server = new BatchServer(posted => Task.FromResult(Answer(
            posted.Ids,
            id => int.Parse(id) % 10 == 0 && seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1 ? (429, "0") : (200, null))));
        var (harness, sender) = Make(server, maxInFlight: 1);
        using var owned = harness;

        IReadOnlyList<GraphBatchResponse> answers = await sender.SendAsync(Requests(200));

        AssertInInputOrder(answers, 200);
        // 200 requests + 20 resends: 10 full batches, then 18 and the last two resends (item 200 is first sent in the
        // 11th). Resending each batch's throttled items alone would take 20.
        Assert.Equal(220, server.Posts.Sum(p => p.Ids.Length));
        Assert.Equal(12, server.Posts.Count);
        Assert.All(server.Posts.Take(10), p => Assert.Equal(20, p.Ids.Length));
        Assert.Equal(["190", "200"], server.Posts.Last().Ids);
    }

    [Fact]
    public async Task AnItemThrottledBeyondItsRetriesFailsAloneWithTheThrottlingError()
    {
        var server = new BatchServer(posted => Task.FromResult(Answer(posted.Ids, id => id == "5" ? (429, "0.1") : (200, null))));
        var (harness, sender) = Make(server, maxRetries: 2);
        using var owned = harness;

        IReadOnlyList<GraphBatchResponse> answers = await sender.SendAsync(Requests(45));

        Assert.Equal(HttpErrorIds.RequestThrottled, answers[4].Error!.ErrorId);
        Assert.Equal(3, answers[4].Attempts);
        Assert.Equal(3, server.Posts.Count(p => p.Ids.Contains("5")));
        Assert.All(answers.Where(a => a.Index != 4), a => Assert.True(a.IsSuccess));
        Assert.Equal(Enumerable.Range(0, 45), answers.Select(a => a.Index));
    }

    [Fact]
    public async Task CancellingReachesEveryBatchInFlight()
    {
        var cancelled = new ConcurrentQueue<string>();
        var server = new BatchServer(async posted =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, posted.Token);
            }
            catch (OperationCanceledException)
            {
                cancelled.Enqueue(posted.Ids[0]);
                throw;
            }

            return Answer(posted.Ids);
        });
        var (harness, sender) = Make(server);
        using var owned = harness;
        using var cts = new CancellationTokenSource();
        using GraphBatchStream stream = sender.Open(cts.Token);
        foreach (GraphBatchRequest request in Requests(200))
        {
            Assert.True(stream.TryAdd(request));
        }

        await Until(() => server.Posts.Count == 4);
        Task<bool> waiting = stream.WaitAsync();
        cts.Cancel();

        await Until(() => cancelled.Count == 4);
        Assert.True(await waiting);
        Assert.ThrowsAny<OperationCanceledException>(() => stream.TryTake(out _));
        Assert.ThrowsAny<OperationCanceledException>(() => stream.TryAdd(GraphBatchRequest.Get("/items/0")));
        Assert.Equal(4, server.Posts.Count);
    }
}
