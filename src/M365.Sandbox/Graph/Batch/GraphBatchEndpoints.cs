using System.Text.Json;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph.Batch;

/// <summary>
/// POST /{version}/$batch: JSON batching as Graph does it. At most 20 requests (else 400); each answer carries id,
/// status, headers and body; each inner request is authorized by its own endpoint with the batch's token.
/// </summary>
internal static class GraphBatchEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    // The batch itself needs only a valid Graph token; what each inner request may do is its own endpoint's business.
    private static readonly AccessRequirement AnyGraphToken = AccessRequirement.Of(Array.Empty<string>(), Array.Empty<string>());

    public static void Map(RouteGroupBuilder graph, string version) =>
        graph.MapPost($"/{version}/$batch", (HttpContext context) => BatchAsync(context, version));

    private static async Task BatchAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(AnyGraphToken) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBodyBytes)
            {
                await GraphError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, GraphError.BadRequest, "The batch body is too large.", clock);
                return;
            }

            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest, "Invalid batch payload format.", clock);
            return;
        }

        using (document)
        {
            var requests = GraphBatchRequest.ParseAll(document.RootElement, out var error);
            if (requests is null)
            {
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest, error!, clock);
                return;
            }

            var responses = await context.RequestServices.GetRequiredService<GraphBatchExecutor>().RunAsync(context, version, requests);
            context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
            writer.WriteStartObject();
            writer.WriteStartArray("responses");
            foreach (var response in responses)
            {
                response.Write(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        }
    }
}
