using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using M365.Sandbox.Graph.Batch;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Control;

/// <summary>Applies injected faults before the resource endpoints run (or, for nextLink faults, to their answers).</summary>
internal sealed class FaultInjectionMiddleware
{
    public const string AppliedFaultItem = "m365-sandbox:fault";

    private readonly RequestDelegate _next;
    private readonly FaultInjector _faults;
    private readonly SandboxHostNames _hosts;
    private readonly TimeProvider _time;
    private readonly BatchItemMarker _batchItems;

    public FaultInjectionMiddleware(RequestDelegate next, FaultInjector faults, SandboxHostNames hosts, TimeProvider time, BatchItemMarker batchItems)
    {
        _batchItems = batchItems;
        _next = next;
        _faults = faults;
        _hosts = hosts;
        _time = time;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var match = ControlApi.IsControlRequest(request)
            ? null
            : _faults.Next(new FaultTarget(
                request.Host.Host.ToLowerInvariant(),
                request.Path.Value ?? "/",
                request.Method,
                Uri.UnescapeDataString(request.QueryString.Value ?? string.Empty),
                _batchItems.BatchIdOf(request) is not null));
        if (match is not { } fault)
        {
            await _next(context);
            return;
        }

        context.Items[AppliedFaultItem] = fault.Id;
        var rule = fault.Rule;
        switch (rule.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMilliseconds), _time, context.RequestAborted);
                await _next(context);
                break;
            case FaultKind.LatencyAfterAction:
                await DelayAnswerAsync(context, rule);
                break;
            case FaultKind.Status:
                await WriteStatusAsync(context, rule);
                break;
            case FaultKind.MalformedBody:
                context.Response.StatusCode = rule.Status is >= 200 and < 600 ? rule.Status : 200;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync("{\"value\":[{\"id\":\"7f3c\",\"displayName\":\"trunc");
                break;
            case FaultKind.HtmlBody:
                context.Response.StatusCode = rule.Status;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync($"<!DOCTYPE html><html><head><title>{rule.Status} Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p></body></html>");
                break;
            case FaultKind.NextLinkLoop:
            case FaultKind.NextLinkForeignHost:
                await RewriteNextLinkAsync(context, rule);
                break;
            case FaultKind.Body:
                // A hostile success: Status counts only when 2xx (its default, 503, is the status fault's).
                context.Response.StatusCode = rule.Status is >= 200 and < 300 ? rule.Status : 200;
                context.Response.ContentType = rule.ContentType;
                await context.Response.WriteAsync(rule.Body!.Replace("{n}", fault.Firing.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), context.RequestAborted);
                break;
            case FaultKind.LargeBody:
                await WriteLargeBodyAsync(context, rule);
                break;
        }
    }

    /// <summary>
    /// <c>{"value":[],"padding":"xxx…"}</c> of exactly <see cref="FaultRule.BodyBytes"/> bytes, one reused chunk at a time, so the
    /// sandbox stays small however large the answer; a client that stops reading ends it (RequestAborted).
    /// </summary>
    private static async Task WriteLargeBodyAsync(HttpContext context, FaultRule rule)
    {
        var head = Encoding.UTF8.GetBytes("{\"value\":[],\"padding\":\"");
        var tail = Encoding.UTF8.GetBytes("\"}");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (rule.DeclareLength)
        {
            context.Response.ContentLength = rule.BodyBytes;
        }

        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        try
        {
            await context.Response.Body.WriteAsync(head, context.RequestAborted);
            for (var left = rule.BodyBytes - head.Length - tail.Length; left > 0; left -= chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), context.RequestAborted);
            }

            await context.Response.Body.WriteAsync(tail, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped reading, as a bounded reader does.
        }
    }

    private Task WriteStatusAsync(HttpContext context, FaultRule rule)
    {
        if (rule.FormatRetryAfter(_time.GetUtcNow()) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        var (code, message) = rule.Status switch
        {
            429 => ("TooManyRequests", "Too many requests. Please retry after the time given in Retry-After."),
            503 => ("ServiceUnavailable", "The service is temporarily unavailable."),
            504 => ("GatewayTimeout", "The gateway timed out."),
            500 => ("InternalServerError", "An internal server error occurred."),
            400 => ("BadRequest", "Invalid request."),
            403 => ("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
            409 => ("Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property displayName already exists."),
            _ => ("Fault", "An injected fault."),
        };
        return ServiceErrors.WriteAsync(context, rule.Status, code, message, _hosts);
    }

    private async Task DelayAnswerAsync(HttpContext context, FaultRule rule)
    {
        var (original, bytes) = await RunBufferedAsync(context);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMilliseconds), _time, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up; the action stands, as it would on a real service.
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Runs the endpoint into a buffer and returns the real body stream (restored) and the answer's bytes.</summary>
    private async Task<(Stream Original, byte[] Bytes)> RunBufferedAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await _next(context);

            // Endpoints that write through BodyWriter leave bytes in the pipe until it is flushed.
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        finally
        {
            context.Response.Body = original;
        }

        return (original, buffer.ToArray());
    }

    private async Task RewriteNextLinkAsync(HttpContext context, FaultRule rule)
    {
        var (original, bytes) = await RunBufferedAsync(context);
        if (context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && TryParseObject(bytes) is { } body)
        {
            var request = context.Request;
            var self = $"https://{request.Host.Host}{request.PathBase}{request.Path}{request.QueryString}";
            var link = rule.Kind == FaultKind.NextLinkLoop ? self : new UriBuilder(self) { Host = rule.ForeignHost }.Uri.AbsoluteUri;
            var key = body.ContainsKey("odata.nextLink") ? "odata.nextLink" : "@odata.nextLink";
            body[key] = link;
            bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        }

        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    private static JsonObject? TryParseObject(byte[] bytes)
    {
        try
        {
            return bytes.Length == 0 ? null : JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
