using System.Text.Json;

namespace M365.Sandbox.SharePoint;

/// <summary>Reads a small JSON request body, refusing oversized or malformed input with SharePoint's answer.</summary>
internal static class JsonBody
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>Returns the parsed body, or null after writing the 400.</summary>
    public static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.InvalidClientQuery, "The request body is too large.");
            return null;
        }

        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBytes)
            {
                await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.InvalidClientQuery, "The request body is too large.");
                return null;
            }

            var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.InvalidClientQuery, "Invalid JSON. The request body must be a JSON object.");
                return null;
            }

            return document;
        }
        catch (JsonException)
        {
            await SharePointError.WriteAsync(context, StatusCodes.Status400BadRequest, SharePointError.InvalidClientQuery, "Invalid JSON. A token was not recognized in the JSON content.");
            return null;
        }
    }

    /// <summary>Finds a property by name ignoring case, as SharePoint's JSON reader does.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
