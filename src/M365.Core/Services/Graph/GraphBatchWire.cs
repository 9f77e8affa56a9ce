using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>One request of a bulk send and its retry state: its place in the input, how many batches carried it, when it may go again.</summary>
    internal sealed class GraphBatchItem
    {
        public GraphBatchItem(int index, GraphBatchRequest request)
        {
            Index = index;
            Request = request;
        }

        public int Index { get; }

        public GraphBatchRequest Request { get; }

        public int Attempts { get; set; }

        public DateTimeOffset NotBefore { get; set; }

        /// <summary>The id of the item inside a batch: its input position + 1, unique in any batch it is merged into.</summary>
        public string Id => (Index + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What one batch answer says of one item: its answer so far, and whether it should go out again (and after what Retry-After).</summary>
    internal readonly struct GraphBatchOutcome
    {
        public GraphBatchOutcome(GraphBatchResponse answer, bool retryable, TimeSpan? retryAfter)
        {
            Answer = answer;
            Retryable = retryable;
            RetryAfter = retryAfter;
        }

        public GraphBatchResponse Answer { get; }

        public bool Retryable { get; }

        public TimeSpan? RetryAfter { get; }
    }

    /// <summary>The JSON batch format: the body of a <c>POST $batch</c> and the reading of its answer, item by item.</summary>
    internal static class GraphBatchWire
    {
        private static readonly IReadOnlyDictionary<string, string> s_noHeaders = new Dictionary<string, string>();

        public static string Body(IReadOnlyList<GraphBatchItem> items)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("requests");
                foreach (GraphBatchItem item in items)
                {
                    WriteRequest(writer, item.Id, item.Request);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>An item's answer when its whole batch failed (after the pipeline's retries): that failure, with no status.</summary>
        public static GraphBatchResponse Failed(GraphBatchItem item, M365HttpException error) =>
            new GraphBatchResponse(item.Request, item.Index, 0, s_noHeaders, null, error, item.Attempts, isBatchFailure: true);

        /// <summary>Reads each item's answer; the attempt counts must already include this batch.</summary>
        public static GraphBatchOutcome[] Read(JsonDocument? answer, IReadOnlyList<GraphBatchItem> items, string versionUrl, DateTimeOffset now)
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

            var outcomes = new GraphBatchOutcome[items.Count];
            for (int k = 0; k < items.Count; k++)
            {
                GraphBatchItem item = items[k];
                string itemId = item.Id;
                bool twice = duplicated.Contains(itemId);
                outcomes[k] = twice || !byId.TryGetValue(itemId, out JsonElement element)
                    ? new GraphBatchOutcome(Missing(item, itemId, twice, versionUrl), false, null)
                    : ReadItem(item, element, versionUrl, now);
            }

            return outcomes;
        }

        private static GraphBatchResponse Missing(GraphBatchItem item, string itemId, bool twice, string versionUrl)
        {
            GraphBatchRequest request = item.Request;
            string redactedUrl = RedactedUrl(request, versionUrl);
            var missing = new M365HttpException(
                ServiceErrorIds.BatchResponseInvalid,
                request.Method.Method + " " + redactedUrl + (twice
                    ? ": the batch answer has more than one response for this request (id " + itemId + "), so none of them was used."
                    : ": the batch answer has no response for this request."),
                "Try again; if it persists, send one request per input (Get-M365AadSp -NoBatch).",
                request.Method.Method,
                redactedUrl,
                attempts: item.Attempts);
            return new GraphBatchResponse(request, item.Index, 0, s_noHeaders, null, missing, item.Attempts);
        }

        private static GraphBatchOutcome ReadItem(GraphBatchItem item, JsonElement element, string versionUrl, DateTimeOffset now)
        {
            GraphBatchRequest request = item.Request;
            int status = JsonValues.Int(element, "status") ?? 0;
            IReadOnlyDictionary<string, string> headers = Headers(element);
            JsonElement? body = element.TryGetProperty("body", out JsonElement b) && b.ValueKind != JsonValueKind.Null ? b.Clone() : (JsonElement?)null;
            if (status >= 200 && status <= 299)
            {
                return new GraphBatchOutcome(new GraphBatchResponse(request, item.Index, status, headers, body, null, item.Attempts), false, null);
            }

            headers.TryGetValue("request-id", out string? requestId);
            string? requestIdOrBody = requestId ?? (body is JsonElement e ? InnerRequestId(e) : null);
            M365HttpException error = HttpErrorFactory.FromStatus(
                status,
                body is JsonElement errorBody ? Encoding.UTF8.GetBytes(errorBody.GetRawText()) : null,
                headers.TryGetValue("Content-Type", out string? type) ? type : null,
                HttpErrorFactory.IsPlainId(requestIdOrBody) ? requestIdOrBody : null,
                request.Method.Method,
                RedactedUrl(request, versionUrl),
                item.Attempts);
            RequestKind kind = request.Method == HttpMethod.Get ? RequestKind.Read : RequestKind.CreatingWrite;
            bool retryable = RetryClassifier.IsRetryableStatus(status, kind);
            TimeSpan? retryAfter = retryable && headers.TryGetValue("Retry-After", out string? value) ? RetryAfterParser.Parse(value, now) : null;
            return new GraphBatchOutcome(new GraphBatchResponse(request, item.Index, status, headers, body, error, item.Attempts), retryable, retryAfter);
        }

        private static string RedactedUrl(GraphBatchRequest request, string versionUrl) =>
            RequestUrlRedactor.Redact(new Uri(versionUrl + request.RelativeUrl.TrimStart('/')));

        private static void WriteRequest(Utf8JsonWriter writer, string id, GraphBatchRequest request)
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
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
