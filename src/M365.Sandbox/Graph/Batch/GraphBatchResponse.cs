using System.Text;
using System.Text.Json;

namespace M365.Sandbox.Graph.Batch;

/// <summary>One entry of a <c>$batch</c> answer's <c>responses</c> array: id, status, headers and body, as Graph writes it.</summary>
internal sealed record GraphBatchResponse(string Id, int Status, IReadOnlyDictionary<string, string> Headers, JsonElement? Body)
{
    public static GraphBatchResponse Error(string id, int status, string code, string message)
    {
        var body = JsonSerializer.SerializeToElement(new { error = new { code, message } });
        return new GraphBatchResponse(id, status, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, body);
    }

    /// <summary>A JSON body stays JSON; any other body becomes a string (Graph base64-encodes binary ones, never needed here).</summary>
    public static JsonElement? ParseBody(byte[] bytes, string? mediaType)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        if (mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // A malformed JSON body (an injected fault) is passed on as text, as a proxy would see it.
            }
        }

        return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(bytes));
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteNumber("status", Status);
        writer.WriteStartObject("headers");
        foreach (var (name, value) in Headers)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        if (Body is { } body)
        {
            writer.WritePropertyName("body");
            body.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
