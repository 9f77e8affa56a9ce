using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.Batch;

/// <summary>
/// Runs a batch's inner requests as real requests to the sandbox's own Graph endpoints (over loopback, with the batch's
/// token), so each is authorized, throttled, faulted and logged exactly as its own endpoint would be.
/// </summary>
internal sealed class GraphBatchExecutor : IDisposable
{
    // Graph answers these per item; hop-by-hop and transport headers stay out of an item's headers.
    private static readonly string[] ItemHeaders = { "Retry-After", "Location", "Content-Type", "request-id", "client-request-id", "ETag", "OData-Version" };

    private readonly SandboxCertificates _certificates;
    private readonly BatchItemMarker _marker;
    private readonly Lock _gate = new();
    private HttpClient? _client;

    public GraphBatchExecutor(SandboxCertificates certificates, BatchItemMarker marker)
    {
        _certificates = certificates;
        _marker = marker;
    }

    public Task<GraphBatchResponse[]> RunAsync(HttpContext outer, string version, IReadOnlyList<GraphBatchRequest> requests)
    {
        var client = ClientFor(outer.Connection.LocalPort);
        var batchId = Guid.NewGuid().ToString("N");
        // Graph runs the requests of a batch in parallel unless dependsOn says otherwise (not supported here).
        return Task.WhenAll(requests.Select(r => RunOneAsync(client, outer, version, batchId, r)));
    }

    private async Task<GraphBatchResponse> RunOneAsync(HttpClient client, HttpContext outer, string version, string batchId, GraphBatchRequest item)
    {
        var relative = item.Url.TrimStart('/');
        if (Uri.TryCreate(item.Url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            return GraphBatchResponse.Error(item.Id, 400, GraphError.BadRequest, "The url of a batch request must be relative to the version, e.g. /users.");
        }

        if (relative.StartsWith("$batch", StringComparison.OrdinalIgnoreCase))
        {
            return GraphBatchResponse.Error(item.Id, 400, GraphError.BadRequest, "A batch cannot contain another batch.");
        }

        using var request = new HttpRequestMessage(new HttpMethod(item.Method), $"https://{SandboxHostNames.Graph}/{version}/{relative}");
        if (outer.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Headers.TryAddWithoutValidation(BatchItemMarker.HeaderName, _marker.ValueFor(batchId));
        string? contentType = null;
        foreach (var (name, value) in item.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, BatchItemMarker.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (item.Body is { } body)
        {
            var text = body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText();
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType ?? "application/json", out var parsed) ? parsed : new MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request, outer.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ItemHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(outer.RequestAborted);
        return new GraphBatchResponse(item.Id, (int)response.StatusCode, headers, GraphBatchResponse.ParseBody(bytes, response.Content.Headers.ContentType?.MediaType));
    }

    private HttpClient ClientFor(int port)
    {
        lock (_gate)
        {
            return _client ??= new HttpClient(new SandboxLoopbackHandler(port, _certificates.Pin)) { Timeout = TimeSpan.FromSeconds(100) };
        }
    }

    public void Dispose() => _client?.Dispose();
}
