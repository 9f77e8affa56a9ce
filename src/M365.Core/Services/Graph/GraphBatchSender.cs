using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using Polly;
using Polly.Retry;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Sends Graph requests in JSON batches of up to 20 (<c>POST /v1.0/$batch</c>) through the connection's pipeline: a batch
    /// that fails as a whole is retried or reported by the pipeline's usual rules; inside a batch, items answered 429 or 503
    /// (504 for reads) are resent alone, in a smaller batch, after the longest Retry-After among them (capped like the
    /// pipeline's delays), for at most the pipeline's retry count. Answers come back in input order. Thread-safe.
    /// </summary>
    public sealed class GraphBatchSender
    {
        /// <summary>Graph's limit of requests per batch.</summary>
        public const int MaxRequestsPerBatch = 20;

        private readonly ResourceRequestSender _sender;
        private readonly Uri _batchUrl;
        private readonly string _versionUrl;

        /// <summary>Creates a sender for the connection's Graph.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        /// <param name="version">The Graph version, v1.0 or beta.</param>
        public GraphBatchSender(Connection connection, ResourceRequestSender? sender = null, string version = "v1.0")
            : this(sender ?? NotNull(connection).Requests, NotNull(connection).Resources.Graph.Origin, version)
        {
        }

        internal GraphBatchSender(ResourceRequestSender sender, Uri graphOrigin, string version = "v1.0")
        {
            _sender = sender;
            _versionUrl = new Uri(graphOrigin, version + "/").AbsoluteUri;
            _batchUrl = new Uri(_versionUrl + "$batch");
        }

        private static Connection NotNull(Connection connection) => connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>Sends every request, 20 per batch, one batch after another, and returns the answers in input order.</summary>
        /// <param name="requests">The requests.</param>
        /// <param name="cancellationToken">Cancels the batches and any wait.</param>
        /// <exception cref="M365HttpException">A batch failed as a whole (after the pipeline's retries).</exception>
        public async Task<IReadOnlyList<GraphBatchResponse>> SendAsync(IReadOnlyList<GraphBatchRequest> requests, CancellationToken cancellationToken = default)
        {
            var answers = new List<GraphBatchResponse>(requests?.Count ?? 0);
            await foreach (GraphBatchResponse answer in SendAllAsync(requests ?? throw new ArgumentNullException(nameof(requests)), cancellationToken).ConfigureAwait(false))
            {
                answers.Add(answer);
            }

            return answers;
        }

        /// <summary>
        /// Streams the answers in input order, reading the input lazily: a batch is sent once 20 requests (or the end of the
        /// input) have been read, and the next batch only when the consumer asks for more.
        /// </summary>
        /// <param name="requests">The requests.</param>
        /// <param name="cancellationToken">Cancels the batches and any wait.</param>
        public async IAsyncEnumerable<GraphBatchResponse> SendAllAsync(IEnumerable<GraphBatchRequest> requests, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (requests is null)
            {
                throw new ArgumentNullException(nameof(requests));
            }

            var chunk = new List<GraphBatchRequest>(MaxRequestsPerBatch);
            int offset = 0;
            foreach (GraphBatchRequest request in requests)
            {
                chunk.Add(request ?? throw new ArgumentException("A batch request is null.", nameof(requests)));
                if (chunk.Count == MaxRequestsPerBatch)
                {
                    foreach (GraphBatchResponse answer in await SendBatchAsync(chunk, offset, cancellationToken).ConfigureAwait(false))
                    {
                        yield return answer;
                    }

                    offset += chunk.Count;
                    chunk = new List<GraphBatchRequest>(MaxRequestsPerBatch);
                }
            }

            if (chunk.Count > 0)
            {
                foreach (GraphBatchResponse answer in await SendBatchAsync(chunk, offset, cancellationToken).ConfigureAwait(false))
                {
                    yield return answer;
                }
            }
        }

        private async Task<GraphBatchResponse[]> SendBatchAsync(IReadOnlyList<GraphBatchRequest> batch, int offset, CancellationToken cancellationToken)
        {
            var round = new BatchRound(batch, offset, _versionUrl);
            ResiliencePipeline<int> itemRetries = ItemRetryPipeline(round);
            ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                // The outcome is the number of items still throttled; the pipeline resends only those, after their Retry-After.
                await itemRetries.ExecuteAsync(
                    async ctx =>
                    {
                        RequestKind kind = round.Pending.All(i => batch[i].Method == HttpMethod.Get) ? RequestKind.Read : RequestKind.CreatingWrite;
                        using JsonDocument? answer = await _sender.SendJsonAsync(HttpMethod.Post, _batchUrl, round.Body(), kind, ctx.CancellationToken).ConfigureAwait(false);
                        round.Record(answer, _sender.Time.GetUtcNow());
                        return round.Pending.Count;
                    },
                    context).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            return round.Answers();
        }

        private ResiliencePipeline<int> ItemRetryPipeline(BatchRound round)
        {
            HttpRetryOptions options = _sender.Options;
            if (options.MaxRetries == 0)
            {
                return ResiliencePipeline<int>.Empty;
            }

            TimeSpan maxDelay = options.MaxDelay;
            return new ResiliencePipelineBuilder<int> { TimeProvider = _sender.Time }
                .AddRetry(new RetryStrategyOptions<int>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    MaxDelay = maxDelay,
                    ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is null && args.Outcome.Result > 0),
                    // Polly does not cap generated delays, so the cap is applied here, as in the pipeline.
                    DelayGenerator = args => new ValueTask<TimeSpan?>(round.LongestRetryAfter() is TimeSpan d ? (d > maxDelay ? maxDelay : d) : (TimeSpan?)null),
                    OnRetry = args =>
                    {
                        _sender.Log(string.Format(
                            CultureInfo.InvariantCulture,
                            "POST {0}: {1} of {2} batch items throttled; resending them alone in {3:0.###} s (retry {4} of {5}).",
                            _batchUrl.AbsoluteUri,
                            args.Outcome.Result,
                            round.Count,
                            args.RetryDelay.TotalSeconds,
                            args.AttemptNumber + 1,
                            options.MaxRetries));
                        return default;
                    },
                })
                .Build();
        }

        /// <summary>The state of one batch across its rounds: which items are still pending and the last answer of each.</summary>
        private sealed class BatchRound
        {
            private static readonly IReadOnlyDictionary<string, string> s_noHeaders = new Dictionary<string, string>();
            private readonly IReadOnlyList<GraphBatchRequest> _requests;
            private readonly int _offset;
            private readonly string _versionUrl;
            private readonly GraphBatchResponse?[] _answers;
            private readonly int[] _attempts;
            private readonly TimeSpan?[] _retryAfter;

            public BatchRound(IReadOnlyList<GraphBatchRequest> requests, int offset, string versionUrl)
            {
                _requests = requests;
                _offset = offset;
                _versionUrl = versionUrl;
                _answers = new GraphBatchResponse?[requests.Count];
                _attempts = new int[requests.Count];
                _retryAfter = new TimeSpan?[requests.Count];
                Pending = Enumerable.Range(0, requests.Count).ToList();
            }

            public List<int> Pending { get; private set; }

            public int Count => _requests.Count;

            public string Body()
            {
                using var stream = new MemoryStream();
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("requests");
                    foreach (int index in Pending)
                    {
                        GraphBatchRequest request = _requests[index];
                        writer.WriteStartObject();
                        writer.WriteString("id", (index + 1).ToString(CultureInfo.InvariantCulture));
                        writer.WriteString("method", request.Method.Method);
                        writer.WriteString("url", request.RelativeUrl);
                        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        foreach (KeyValuePair<string, string> header in request.Headers)
                        {
                            headers[header.Key] = header.Value;
                        }

                        if (request.Body != null && !headers.ContainsKey("Content-Type"))
                        {
                            headers["Content-Type"] = "application/json";
                        }

                        if (headers.Count > 0)
                        {
                            writer.WriteStartObject("headers");
                            foreach (KeyValuePair<string, string> header in headers)
                            {
                                writer.WriteString(header.Key, header.Value);
                            }

                            writer.WriteEndObject();
                        }

                        if (request.Body != null)
                        {
                            writer.WritePropertyName("body");
                            if (request.Body is string text)
                            {
                                using JsonDocument parsed = JsonDocument.Parse(text);
                                parsed.RootElement.WriteTo(writer);
                            }
                            else
                            {
                                JsonSerializer.Serialize(writer, request.Body, request.Body.GetType());
                            }
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                return Encoding.UTF8.GetString(stream.ToArray());
            }

            public void Record(JsonDocument? answer, DateTimeOffset now)
            {
                var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                var duplicated = new HashSet<string>(StringComparer.Ordinal);
                if (answer != null && answer.RootElement.ValueKind == JsonValueKind.Object
                    && answer.RootElement.TryGetProperty("responses", out JsonElement responses) && responses.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement response in responses.EnumerateArray())
                    {
                        if (response.ValueKind == JsonValueKind.Object && JsonValues.String(response, "id") is string id)
                        {
                            // Two answers for one id: neither can be trusted to be that request's.
                            if (byId.ContainsKey(id))
                            {
                                duplicated.Add(id);
                            }

                            byId[id] = response;
                        }
                    }
                }

                var stillThrottled = new List<int>();
                foreach (int index in Pending)
                {
                    _attempts[index]++;
                    GraphBatchRequest request = _requests[index];
                    string redactedUrl = RequestUrlRedactor.Redact(new Uri(_versionUrl + request.RelativeUrl.TrimStart('/')));
                    string itemId = (index + 1).ToString(CultureInfo.InvariantCulture);
                    bool twice = duplicated.Contains(itemId);
                    if (twice || !byId.TryGetValue(itemId, out JsonElement item))
                    {
                        var missing = new M365HttpException(
                            ServiceErrorIds.BatchResponseInvalid,
                            request.Method.Method + " " + redactedUrl + (twice
                                ? ": the batch answer has more than one response for this request (id " + itemId + "), so none of them was used."
                                : ": the batch answer has no response for this request."),
                            "Try again; if it persists, send one request per input (Get-M365AadSp -NoBatch).",
                            request.Method.Method,
                            redactedUrl,
                            attempts: _attempts[index]);
                        _answers[index] = new GraphBatchResponse(request, _offset + index, 0, s_noHeaders, null, missing, _attempts[index]);
                        continue;
                    }

                    int status = JsonValues.Int(item, "status") ?? 0;
                    IReadOnlyDictionary<string, string> headers = Headers(item);
                    JsonElement? body = item.TryGetProperty("body", out JsonElement b) && b.ValueKind != JsonValueKind.Null ? b.Clone() : (JsonElement?)null;
                    M365HttpException? error = null;
                    if (status < 200 || status > 299)
                    {
                        headers.TryGetValue("request-id", out string? requestId);
                        string? requestIdOrBody = requestId ?? (body is JsonElement e ? InnerRequestId(e) : null);
                        error = HttpErrorFactory.FromStatus(
                            status,
                            body is JsonElement errorBody ? Encoding.UTF8.GetBytes(errorBody.GetRawText()) : null,
                            headers.TryGetValue("Content-Type", out string? type) ? type : null,
                            HttpErrorFactory.IsPlainId(requestIdOrBody) ? requestIdOrBody : null,
                            request.Method.Method,
                            redactedUrl,
                            _attempts[index]);
                        RequestKind kind = request.Method == HttpMethod.Get ? RequestKind.Read : RequestKind.CreatingWrite;
                        if (RetryClassifier.IsRetryableStatus(status, kind))
                        {
                            stillThrottled.Add(index);
                            _retryAfter[index] = headers.TryGetValue("Retry-After", out string? retryAfter) ? RetryAfterParser.Parse(retryAfter, now) : null;
                        }
                    }

                    _answers[index] = new GraphBatchResponse(request, _offset + index, status, headers, body, error, _attempts[index]);
                }

                Pending = stillThrottled;
            }

            public TimeSpan? LongestRetryAfter()
            {
                TimeSpan? longest = null;
                foreach (int index in Pending)
                {
                    if (_retryAfter[index] is TimeSpan delay && (longest is null || delay > longest))
                    {
                        longest = delay;
                    }
                }

                return longest;
            }

            public GraphBatchResponse[] Answers() => _answers.Select(a => a!).ToArray();

            private static IReadOnlyDictionary<string, string> Headers(JsonElement item)
            {
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                if (item.TryGetProperty("headers", out JsonElement h) && h.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty header in h.EnumerateObject())
                    {
                        headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                    }
                }

                return headers;
            }

            private static string? InnerRequestId(JsonElement body) =>
                body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("innerError", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object
                    ? JsonValues.String(inner, "request-id")
                    : null;
        }
    }
}
