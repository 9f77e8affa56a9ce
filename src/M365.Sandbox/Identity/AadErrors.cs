using System.Text.Json.Nodes;

namespace M365.Sandbox.Identity;

/// <summary>Entra ID's error body: error, "AADSTSnnnnn: …" description, error_codes, trace and correlation ids, timestamp.</summary>
internal static class AadErrors
{
    public static Task WriteAsync(HttpContext context, int status, string error, int code, string description, string? suberror = null)
    {
        var now = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.TryParse(context.Request.Headers["client-request-id"], out var cid) ? cid.ToString() : Guid.NewGuid().ToString();
        var timestamp = now.ToString("yyyy-MM-dd HH:mm:ssZ");
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>A device-code poll answer (authorization_pending and friends) carries the same fields.</summary>
    public static Task WriteDeviceFlowAsync(HttpContext context, string error, int code, string description) =>
        WriteAsync(context, 400, error, code, description);
}
