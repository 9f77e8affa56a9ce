using System.IO.Pipelines;
using System.Text.Json;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// Streams a page straight to the response: no DTOs, no intermediate string, flushed in chunks so a 999-item
/// page never sits whole in memory.
/// </summary>
internal static class ServicePrincipalPageWriter
{
    private const int ItemsPerFlush = 64;

    private static readonly JsonEncodedText Context = JsonEncodedText.Encode("@odata.context");
    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("@odata.count");
    private static readonly JsonEncodedText NextLink = JsonEncodedText.Encode("@odata.nextLink");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");

    public static async Task WriteAsync(PipeWriter pipe, ServicePrincipalPage page, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(pipe, GraphJson.WriterOptions);
        WriteHead(writer, page);
        for (var i = page.Start; i < page.End; i++)
        {
            WriteItem(writer, page, i);
            if ((i - page.Start + 1) % ItemsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        WriteTail(writer);
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>The synchronous form, for any buffer (benchmarks, tests).</summary>
    public static void Write(Utf8JsonWriter writer, ServicePrincipalPage page)
    {
        WriteHead(writer, page);
        for (var i = page.Start; i < page.End; i++)
        {
            WriteItem(writer, page, i);
        }

        WriteTail(writer);
        writer.Flush();
    }

    private static void WriteItem(Utf8JsonWriter writer, ServicePrincipalPage page, int index)
    {
        var sp = page.ItemAt(index);
        if (page.Expand is null)
        {
            ServicePrincipalJsonWriter.Write(writer, sp, page.Fields);
            return;
        }

        writer.WriteStartObject();
        ServicePrincipalJsonWriter.WriteProperties(writer, sp, page.Fields);
        page.Expand(writer, sp);
        writer.WriteEndObject();
    }

    private static void WriteHead(Utf8JsonWriter writer, ServicePrincipalPage page)
    {
        writer.WriteStartObject();
        writer.WriteString(Context, page.ContextUrl);
        if (page.Count is { } count)
        {
            writer.WriteNumber(Count, count);
        }

        if (page.NextLink is { } next)
        {
            writer.WriteString(NextLink, next);
        }

        writer.WriteStartArray(Value);
    }

    private static void WriteTail(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
