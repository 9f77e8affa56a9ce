using System.Text.Json;
using CsCheck;
using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Graph;

namespace M365.Core.Tests.Properties;

/// <summary>
/// Graph $batch answers, however mangled: every request gets exactly one answer, in input order; an id the answer lacks, or
/// answers twice, is reported as BatchResponseInvalid; a whole answer that cannot be read is a documented failure of each of
/// its requests, never another error; and a service principal lookup never yields another object than the one it asked for.
/// </summary>
public sealed class GraphBatchProperties : PropertySuite<GraphBatchProperties>, IPropertySuite
{
    private static readonly Uri GraphOrigin = new("https://graph.microsoft.com");

    /// <summary>How the fake Graph answers one item: left out, or with a status (as a number, a string or missing), headers and a body.</summary>
    private sealed record ItemPlan(bool Omit, string? Status, string? RetryAfter, string? Body, bool Duplicate, bool WrongId);

    /// <summary>How the fake Graph answers one batch: its items in some order, or a body that is not a batch answer at all.</summary>
    private sealed record RoundPlan(ItemPlan[] Items, bool Reverse, string? Replacement, int HttpStatus);

    private static readonly Gen<ItemPlan> Item = Gen.Select(
            Gen.Frequency((1, Gen.Const(true)), (6, Gen.Const(false))),
            Gen.Frequency(
                (6, Gen.OneOf<string?>("200", "200", "201", "204", "404", "429", "503", "500", "400")),
                (1, Gen.OneOf<string?>("\"200\"", "\"abc\"", "null", "2.5", "1e400", "-1", "99999999999", "true", "{}", null))),
            Gen.Frequency((3, Gen.Const((string?)null)), (1, Gen.OneOf(Gen.OneOf<string>("0", "0.2", "5", "-1", "NaN", "Sat, 01 Mar 2025 09:00:05 GMT"), Generators.AnyString).Select(s => (string?)s))),
            Gen.Frequency((3, Gen.Const((string?)null)), (2, Generators.JsonValue(2).Select(s => (string?)s))),
            Gen.Frequency((10, Gen.Const(false)), (1, Gen.Const(true))),
            Gen.Frequency((15, Gen.Const(false)), (1, Gen.Const(true))))
        .Select((a, b, c, d, e, f) => new ItemPlan(a, b, c, d, e, f));

    private static readonly Gen<RoundPlan> Round = Gen.Select(
            Item.Array[1, 25],
            Gen.Bool,
            Gen.Frequency((12, Gen.Const((string?)null)), (1, Gen.OneOf(Generators.JsonValue(2), Gen.Const("<html>busy</html>"), Gen.Const(""), Gen.Const("{\"responses\":{}}")).Select(s => (string?)s))),
            Gen.Frequency((15, Gen.Const(200)), (1, Gen.OneOf<int>(400, 500, 429))))
        .Select((items, reverse, replacement, status) => new RoundPlan(items, reverse, replacement, status));

    private static readonly string[] WholeBatchIds =
    [
        HttpErrorIds.ResponseNotJson, HttpErrorIds.BadRequest, HttpErrorIds.ServiceError, HttpErrorIds.RequestThrottled,
    ];

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("batch", nameof(EveryRequestGetsOneAnswerInInputOrder), EveryRequestGetsOneAnswerInInputOrder),
        new("batch", nameof(MissingIdsAreReportedAndStatusesKept), MissingIdsAreReportedAndStatusesKept),
        new("batch", nameof(ALookupYieldsOnlyTheObjectItAskedFor), ALookupYieldsOnlyTheObjectItAskedFor),
    ];

    /// <summary>How the fake Graph answers one lookup of a batch: with the object of another lookup, or with some JSON value.</summary>
    private sealed record LookupPlan(int Object, bool ByAppId, int AnsweredWith, string? Junk);

    private static readonly Gen<LookupPlan> Lookup = Gen.Select(
            Gen.Int[0, 9],
            Gen.Bool,
            Gen.Frequency((3, Gen.Const(-1)), (2, Gen.Int[0, 9])),
            Gen.Frequency((6, Gen.Const((string?)null)), (1, Generators.JsonValue(2).Select(s => (string?)s))))
        .Select((o, byAppId, with, junk) => new LookupPlan(o, byAppId, with, junk));

    private static Guid ObjectId(int i) => new($"00000000-0000-0000-0000-{i:D12}");

    private static Guid AppIdOf(int i) => new($"00000000-0000-0000-0001-{i:D12}");

    private static string ObjectJson(int i) => $"{{\"id\":\"{ObjectId(i)}\",\"appId\":\"{AppIdOf(i)}\",\"displayName\":\"sp{i}\"}}";

    // A hostile batch answer swaps bodies between ids, or puts any JSON in them: a success is always the object looked up.
    private static void ALookupYieldsOnlyTheObjectItAskedFor(PropertyRun run) =>
        run.Check(Lookup.Array[2, 25], plans =>
        {
            using var graph = new FakeGraph((request, body) =>
            {
                using JsonDocument batch = JsonDocument.Parse(body!);
                var items = new List<string>();
                foreach (JsonElement item in batch.RootElement.GetProperty("requests").EnumerateArray())
                {
                    // An item's id is its input position + 1, whichever batch carries it.
                    string id = item.GetProperty("id").GetString()!;
                    LookupPlan plan = plans[int.Parse(id) - 1];
                    int answered = plan.AnsweredWith < 0 ? plan.Object : plan.AnsweredWith;
                    string answer = plan.Junk ?? (plan.ByAppId ? "{\"value\":[" + ObjectJson(answered) + "]}" : ObjectJson(answered));
                    items.Add("{\"id\":\"" + id + "\",\"status\":200,\"body\":" + answer + "}");
                }

                return FakeGraph.Answer(200, "{\"responses\":[" + string.Join(",", items) + "]}");
            });
            var client = new ServicePrincipalClient(graph.Sender, GraphOrigin);
            var lookups = plans.Select(p => p.ByAppId ? ServicePrincipalLookup.ByAppId(AppIdOf(p.Object)) : ServicePrincipalLookup.ById(ObjectId(p.Object))).ToArray();

            IReadOnlyList<ServicePrincipalResult> results = Task.Run(() => client.LookupAsync(lookups)).GetAwaiter().GetResult();

            Assert.Equal(plans.Length, results.Count);
            for (int i = 0; i < plans.Length; i++)
            {
                Assert.Same(lookups[i], results[i].Lookup);
                if (results[i].Error?.ErrorId == HttpErrorIds.ResponseNotJson)
                {
                    // Junk that makes the whole answer unreadable (an escape that is not UTF-16) fails each lookup of that batch.
                    Assert.Equal(lookups[i].Value, results[i].Error!.Target);
                    continue;
                }

                if (results[i].IsSuccess)
                {
                    Assert.Equal(ObjectId(plans[i].Object), results[i].Value!.Id);
                    Assert.Equal(AppIdOf(plans[i].Object), results[i].Value!.AppId);
                }
                else
                {
                    Assert.Contains(results[i].Error!.ErrorId, new[] { ServiceErrorIds.ResponseItemInvalid, ServiceErrorIds.ServicePrincipalNotFound });
                    Assert.Equal(lookups[i].Value, results[i].Error!.Target);
                }

                bool honest = plans[i].Junk is null && (plans[i].AnsweredWith < 0 || plans[i].AnsweredWith == plans[i].Object);
                Assert.Equal(honest, results[i].IsSuccess);
            }
        });

    private static void EveryRequestGetsOneAnswerInInputOrder(PropertyRun run) =>
        run.Check(Gen.Select(Gen.Int[1, 45], Round.Array[1, 4]), t =>
        {
            (int count, RoundPlan[] rounds) = t;
            GraphBatchRequest[] requests = Requests(count);
            int posted = 0;
            using var graph = new FakeGraph((request, body) => Answer(rounds[Math.Min(Interlocked.Increment(ref posted) - 1, rounds.Length - 1)], body!), maxRetries: 2);

            IReadOnlyList<GraphBatchResponse>? answers = Send(graph, requests, out Exception? failure);

            Assert.All(graph.Handler.Requests, r =>
            {
                Assert.Equal("https://graph.microsoft.com/v1.0/$batch", r.Request.RequestUri!.AbsoluteUri);
                Assert.Equal("Bearer " + FakeGraph.TokenFor(GraphOrigin), r.Request.Headers.Authorization?.ToString());
            });
            // Per batch of 20: at most 1 + 2 item rounds, each POST retried at most twice by the pipeline when the whole batch fails.
            Assert.True(posted <= ((count + 19) / 20) * 3 * 3, $"{posted} batches for {count} requests");
            Assert.Null(failure);
            Assert.Equal(count, answers!.Count);
            for (int i = 0; i < count; i++)
            {
                Assert.Same(requests[i], answers[i].Request);
                Assert.Equal(i, answers[i].Index);
                if (answers[i].IsBatchFailure)
                {
                    // The whole batch failed after the pipeline's retries: that failure is each of its requests' answer.
                    Assert.Contains(answers[i].Error!.ErrorId, WholeBatchIds);
                    Assert.Equal(0, answers[i].Status);
                }

                Assert.Equal(answers[i].Status is >= 200 and <= 299, answers[i].IsSuccess);
                Assert.InRange(answers[i].Attempts, 1, 3);
            }
        });

    private static void MissingIdsAreReportedAndStatusesKept(PropertyRun run) =>
        run.Check(Gen.Select(Gen.Int[1, 20], Round), t =>
        {
            (int count, RoundPlan round) = t;
            GraphBatchRequest[] requests = Requests(count);
            string? answerText = null;
            using var graph = new FakeGraph((request, body) =>
            {
                HttpResponseMessage response = Answer(round, body!);
                answerText = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                return response;
            });

            IReadOnlyList<GraphBatchResponse>? answers = Send(graph, requests, out Exception? failure);
            Assert.Null(failure);
            if (answers![0].IsBatchFailure)
            {
                Assert.All(answers, a => Assert.True(a.IsBatchFailure));
                Assert.Contains(answers[0].Error!.ErrorId, WholeBatchIds);
                return;
            }

            // An id answered twice is not trusted: neither answer is used.
            var byId = new Dictionary<string, JsonElement>();
            var twice = new HashSet<string>();
            using JsonDocument? document = TryParse(answerText!);
            if (document != null && document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("responses", out JsonElement responses) && responses.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in responses.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String)
                    {
                        if (!byId.TryAdd(id.GetString()!, item))
                        {
                            twice.Add(id.GetString()!);
                        }
                    }
                }
            }

            for (int i = 0; i < count; i++)
            {
                GraphBatchResponse answer = answers![i];
                if (twice.Contains((i + 1).ToString()) || !byId.TryGetValue((i + 1).ToString(), out JsonElement item))
                {
                    Assert.Equal(0, answer.Status);
                    Assert.Equal(ServiceErrorIds.BatchResponseInvalid, answer.Error?.ErrorId);
                    continue;
                }

                // Graph writes a number; a number in a string is read too.
                int? status = !item.TryGetProperty("status", out JsonElement s) ? null
                    : s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out int n) ? n
                    : s.ValueKind == JsonValueKind.String && int.TryParse(s.GetString(), out n) ? n
                    : null;
                if (status is >= 200 and <= 299)
                {
                    Assert.True(answer.IsSuccess);
                    Assert.Equal(status, answer.Status);
                }
                else
                {
                    Assert.NotNull(answer.Error);
                }
            }
        });

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GraphBatchRequest[] Requests(int count) =>
        Enumerable.Range(0, count).Select(i => GraphBatchRequest.Get("servicePrincipals/" + i)).ToArray();

    private static IReadOnlyList<GraphBatchResponse>? Send(FakeGraph graph, GraphBatchRequest[] requests, out Exception? failure)
    {
        // One batch at a time, so a seed replays the same answers to the same POSTs (GraphBatchStreamTests cover concurrency).
        var sender = new GraphBatchSender(graph.Sender, GraphOrigin) { MaxBatchesInFlight = 1 };
        IReadOnlyList<GraphBatchResponse>? answers = null;
        failure = Record.Exception(() => answers = Task.Run(() => sender.SendAsync(requests)).GetAwaiter().GetResult());
        return answers;
    }

    private static HttpResponseMessage Answer(RoundPlan round, string posted)
    {
        if (round.Replacement != null || round.HttpStatus != 200)
        {
            string text = round.Replacement ?? "{\"error\":{\"code\":\"x\"}}";
            return FakeGraph.Answer(round.HttpStatus, text, text.StartsWith('<') ? "text/html" : "application/json");
        }

        using JsonDocument request = JsonDocument.Parse(posted);
        var ids = request.RootElement.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        var items = new List<string>();
        for (int k = 0; k < ids.Count; k++)
        {
            ItemPlan plan = round.Items[k % round.Items.Length];
            if (plan.Omit)
            {
                continue;
            }

            var members = new List<(string, string)> { ("\"id\"", Generators.Quote(plan.WrongId ? ids[k] + "0" : ids[k])) };
            if (plan.Status != null)
            {
                members.Add(("\"status\"", plan.Status));
            }

            if (plan.RetryAfter != null)
            {
                members.Add(("\"headers\"", Generators.JsonObject([("\"Retry-After\"", Generators.Quote(plan.RetryAfter)), ("\"request-id\"", "\"0000-1111\"")])));
            }

            if (plan.Body != null)
            {
                members.Add(("\"body\"", plan.Body));
            }

            string item = Generators.JsonObject(members);
            items.Add(item);
            if (plan.Duplicate)
            {
                items.Add(item);
            }
        }

        if (round.Reverse)
        {
            items.Reverse();
        }

        return FakeGraph.Answer(200, "{\"responses\":[" + string.Join(",", items) + "]}");
    }
}
