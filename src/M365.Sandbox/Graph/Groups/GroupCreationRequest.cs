using System.Text.Json;
using System.Text.RegularExpressions;

namespace M365.Sandbox.Graph.Groups;

/// <summary>
/// The body of POST /groups, checked as Graph checks it: displayName, mailNickname, mailEnabled and securityEnabled are
/// required; a group that is not Unified cannot be mail-enabled (Graph creates no distribution lists); the alias is
/// 1 to 64 characters of ASCII without spaces or <c>@()\[]";:&lt;&gt;,</c>.
/// </summary>
internal sealed partial record GroupCreationRequest(
    string DisplayName,
    string MailNickname,
    bool MailEnabled,
    bool SecurityEnabled,
    bool IsUnified,
    bool IsPublic,
    string? Description)
{
    private const int MaxBytes = 64 * 1024;

    public static async Task<(GroupCreationRequest? Request, (string Code, string Message)? Error)> ReadAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > MaxBytes)
            {
                return (null, ("Request_BadRequest", "The request body is too large."));
            }

            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return (null, (GraphError.BadRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."));
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    private static (GroupCreationRequest?, (string, string)?) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, (GraphError.BadRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."));
        }

        string? displayName = Text(body, "displayName");
        string? alias = Text(body, "mailNickname");
        bool? mailEnabled = Flag(body, "mailEnabled");
        bool? securityEnabled = Flag(body, "securityEnabled");
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 256)
        {
            return (null, Invalid("displayName"));
        }

        if (alias is null || !Alias().IsMatch(alias))
        {
            return (null, Invalid("mailNickname"));
        }

        if (mailEnabled is null)
        {
            return (null, Invalid("mailEnabled"));
        }

        if (securityEnabled is null)
        {
            return (null, Invalid("securityEnabled"));
        }

        var unified = false;
        if (body.TryGetProperty("groupTypes", out var types))
        {
            if (types.ValueKind != JsonValueKind.Array || types.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                return (null, Invalid("groupTypes"));
            }

            unified = types.EnumerateArray().Any(t => string.Equals(t.GetString(), "Unified", StringComparison.OrdinalIgnoreCase));
        }

        if (mailEnabled.Value && !unified)
        {
            return (null, ("Request_BadRequest", "Cannot Create a mail-enabled security groups and or distribution list."));
        }

        var visibility = Text(body, "visibility");
        if (visibility is not null && !(visibility.Equals("Public", StringComparison.OrdinalIgnoreCase) || visibility.Equals("Private", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Invalid("visibility"));
        }

        var isPublic = !string.Equals(visibility, "Private", StringComparison.OrdinalIgnoreCase);
        return (new GroupCreationRequest(displayName, alias, mailEnabled.Value, securityEnabled.Value, unified, isPublic, Text(body, "description")), null);
    }

    private static (string, string) Invalid(string property) =>
        ("Request_BadRequest", $"Invalid value specified for property '{property}' of resource 'Group'.");

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Flag(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    [GeneratedRegex("""^[\x21-\x7E-[@()\\\[\]";:<>,]]{1,64}$""", RegexOptions.CultureInvariant)]
    private static partial Regex Alias();
}
