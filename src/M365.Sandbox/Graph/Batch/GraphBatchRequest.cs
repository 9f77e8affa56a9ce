using System.Text.Json;

namespace M365.Sandbox.Graph.Batch;

/// <summary>One entry of a <c>$batch</c> body's <c>requests</c> array, checked as Graph checks it.</summary>
internal sealed record GraphBatchRequest(string Id, string Method, string Url, IReadOnlyDictionary<string, string> Headers, JsonElement? Body)
{
    public const int MaxRequests = 20;

    /// <summary>Returns the requests, or null with Graph's 400 message for a malformed batch.</summary>
    public static IReadOnlyList<GraphBatchRequest>? ParseAll(JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            error = "Invalid batch payload format.";
            return null;
        }

        if (requests.GetArrayLength() == 0)
        {
            error = "Invalid batch payload format: the batch has no requests.";
            return null;
        }

        if (requests.GetArrayLength() > MaxRequests)
        {
            error = $"The number of batch requests ({requests.GetArrayLength()}) exceeds the limit of {MaxRequests}.";
            return null;
        }

        var parsed = new List<GraphBatchRequest>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in requests.EnumerateArray())
        {
            var id = String(item, "id");
            var method = String(item, "method");
            var url = String(item, "url");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(method) || url is null)
            {
                error = "Invalid batch payload format: each request needs an id, a method and a url.";
                return null;
            }

            if (!ids.Add(id))
            {
                error = $"The batch has more than one request with the id '{id}'.";
                return null;
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item.TryGetProperty("headers", out var headerObject) && headerObject.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headerObject.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                }
            }

            JsonElement? body = item.TryGetProperty("body", out var b) && b.ValueKind != JsonValueKind.Null ? b.Clone() : null;
            parsed.Add(new GraphBatchRequest(id, method.ToUpperInvariant(), url, headers, body));
        }

        return parsed;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
