using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Applications;

/// <summary>
/// The body of POST /applications/{id}/federatedIdentityCredentials, checked as Graph checks it: name (at most 120
/// URL-friendly characters), issuer, subject and one audience are required; description is optional; nothing else.
/// </summary>
internal static partial class FederatedIdentityCredentialRequest
{
    public const int MaxNameLength = 120;
    private const int MaxValueLength = 600;
    private const string Resource = "FederatedIdentityCredential";
    private static readonly string[] Known = { "name", "issuer", "subject", "audiences", "description", "id", "@odata.type" };

    public static async Task<(FederatedIdentityCredential? Credential, string? Error)> ReadAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return (null, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }
    }

    internal static (FederatedIdentityCredential?, string?) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }

        foreach (var property in body.EnumerateObject().Where(p => !Known.Contains(p.Name, StringComparer.Ordinal)))
        {
            return (null, $"Property '{property.Name}' does not exist as a declared property or extension property.");
        }

        var name = Text(body, "name");
        if (name is null || name.Length > MaxNameLength || !UrlFriendly().IsMatch(name))
        {
            return (null, Invalid("name"));
        }

        var issuer = Text(body, "issuer");
        if (string.IsNullOrWhiteSpace(issuer) || issuer.Length > MaxValueLength)
        {
            return (null, Invalid("issuer"));
        }

        var subject = Text(body, "subject");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxValueLength)
        {
            return (null, Invalid("subject"));
        }

        // Entra ID takes exactly one audience per credential.
        if (!body.TryGetProperty("audiences", out var audiences) || audiences.ValueKind != JsonValueKind.Array ||
            audiences.GetArrayLength() != 1 || audiences[0].ValueKind != JsonValueKind.String ||
            audiences[0].GetString() is not { Length: > 0 and <= MaxValueLength } audience)
        {
            return (null, Invalid("audiences"));
        }

        var description = body.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (description is { Length: > MaxValueLength })
        {
            return (null, Invalid("description"));
        }

        return (new FederatedIdentityCredential
        {
            Id = Guid.NewGuid(),
            Name = name,
            Issuer = issuer,
            Subject = subject,
            Audiences = new[] { audience },
            Description = description,
        }, null);
    }

    private static string Invalid(string property) => $"Invalid value specified for property '{property}' of resource '{Resource}'.";

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._~-]*$")]
    private static partial Regex UrlFriendly();
}
