using System.Text.Json;

namespace M365.Sandbox.Graph;

/// <summary>Writes Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
internal static class GraphError
{
    public const string BadRequest = "BadRequest";
    public const string UnsupportedQuery = "Request_UnsupportedQuery";
    public const string ResourceNotFound = "Request_ResourceNotFound";

    public static async Task WriteAsync(HttpContext context, int status, string code, string message, TimeProvider clock)
    {
        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = context.Request.Headers["client-request-id"].ToString();
        if (clientRequestId.Length == 0)
        {
            clientRequestId = requestId;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["request-id"] = requestId;
        context.Response.Headers["client-request-id"] = clientRequestId;

        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteStartObject("innerError");
        writer.WriteString("date", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("request-id", requestId);
        writer.WriteString("client-request-id", clientRequestId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
