using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Applications;

/// <summary>
/// The body of POST (create) and PATCH (change) /applications, read into a registration: displayName, description,
/// signInAudience, isFallbackPublicClient, identifierUris, publicClient/web redirect URIs, requiredResourceAccess and
/// keyCredentials (certificates: AsymmetricX509Cert, Verify, base64 DER). Other properties of the type are accepted
/// and ignored; a name the type does not have is refused, as Graph's OData layer does.
/// </summary>
internal static class ApplicationRequest
{
    private static readonly string[] Audiences = { "AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "api", "appRoles", "groupMembershipClaims", "info", "notes", "optionalClaims", "parentalControlSettings", "passwordCredentials",
        "requestSignatureVerification", "serviceManagementReference", "spa", "tags", "tokenEncryptionKeyId", "isDeviceOnlyAuthSupported",
        "defaultRedirectUri", "disabledByMicrosoftStatus", "samlMetadataUrl", "uniqueName",
    };

    /// <summary>The changed registration, or null with Graph's error code and message.</summary>
    public static async Task<(ApplicationRegistration? App, string? Code, string? Error)> ReadAsync(HttpContext context, ApplicationRegistration start, bool create)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, GraphError.BadRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, GraphError.BadRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            }

            var app = start;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var (changed, invalid) = Apply(app, property);
                if (invalid)
                {
                    return (null, "Request_BadRequest", $"Invalid value specified for property '{property.Name}' of resource 'Application'.");
                }

                if (changed is null)
                {
                    return (null, GraphError.BadRequest,
                        $"Property '{property.Name}' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type or mark the type as open type.");
                }

                app = changed;
            }

            if (create && string.IsNullOrWhiteSpace(app.DisplayName))
            {
                return (null, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Application'.");
            }

            return (app, null, null);
        }
    }

    // (changed app, false) when applied; (app, true) for a bad value; (null, false) for a property the type does not have.
    private static (ApplicationRegistration? App, bool Invalid) Apply(ApplicationRegistration app, JsonProperty property)
    {
        var value = property.Value;
        switch (property.Name)
        {
            case "displayName":
                return value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0 ? (app with { DisplayName = value.GetString()! }, false) : (app, true);
            case "description":
                return value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? (app with { Description = value.GetString() }, false) : (app, true);
            case "signInAudience":
                return value.ValueKind == JsonValueKind.String && Audiences.Contains(value.GetString()) ? (app with { SignInAudience = value.GetString()! }, false) : (app, true);
            case "isFallbackPublicClient":
                return value.ValueKind switch
                {
                    JsonValueKind.True or JsonValueKind.False => (app with { IsFallbackPublicClient = value.GetBoolean() }, false),
                    JsonValueKind.Null => (app with { IsFallbackPublicClient = false }, false),
                    _ => (app, true),
                };
            case "identifierUris":
                return Strings(value, absoluteUris: true) is { } uris ? (app with { IdentifierUris = uris }, false) : (app, true);
            case "publicClient":
                return RedirectUris(value) is { } publicUris ? (app with { PublicClientRedirectUris = publicUris }, false) : (app, true);
            case "web":
                return RedirectUris(value) is { } webUris ? (app with { WebRedirectUris = webUris }, false) : (app, true);
            case "requiredResourceAccess":
                return ResourceAccessList(value) is { } access ? (app with { RequiredResourceAccess = access }, false) : (app, true);
            case "keyCredentials":
                return KeyCredentials(value) is { } keys ? (app with { KeyCredentials = keys }, false) : (app, true);
            default:
                return Ignored.Contains(property.Name) || property.Name.StartsWith('@') ? (app, false) : (null, false);
        }
    }

    private static string[]? Strings(JsonElement value, bool absoluteUris)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var items = value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty).ToArray();
        return items.All(i => i.Length > 0 && (!absoluteUris || Uri.TryCreate(i, UriKind.Absolute, out _))) ? items.Distinct(StringComparer.Ordinal).ToArray() : null;
    }

    private static string[]? RedirectUris(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object when value.TryGetProperty("redirectUris", out var uris) => Strings(uris, absoluteUris: true),
        JsonValueKind.Object => Array.Empty<string>(),
        _ => null,
    };

    private static RequiredResourceAccess[]? ResourceAccessList(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<RequiredResourceAccess>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !TryGuid(item, "resourceAppId", out var resourceAppId)
                || !item.TryGetProperty("resourceAccess", out var accessList) || accessList.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var access = new List<ResourceAccess>();
            foreach (var entry in accessList.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !TryGuid(entry, "id", out var id)
                    || !entry.TryGetProperty("type", out var type) || type.GetString() is not ("Scope" or "Role"))
                {
                    return null;
                }

                access.Add(new ResourceAccess(id, type.GetString()!));
            }

            list.Add(new RequiredResourceAccess(resourceAppId, access));
        }

        return list.ToArray();
    }

    private static KeyCredential[]? KeyCredentials(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var keys = new List<KeyCredential>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || Text(item, "type") != KeyCredential.CertificateType || Text(item, "usage") != KeyCredential.VerifyUsage
                || Text(item, "key") is not { } key || Certificate(key) is not { } certificate)
            {
                return null;
            }

            var keyId = TryGuid(item, "keyId", out var given) ? given : Guid.NewGuid();
            keys.Add(new KeyCredential(keyId, KeyCredential.CertificateType, KeyCredential.VerifyUsage, Text(item, "displayName") ?? certificate.Subject, certificate));
        }

        return keys.ToArray();
    }

    // Only the public certificate: a key with a private part (a PFX) is not what Graph takes.
    private static X509Certificate2? Certificate(string base64)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGuid(JsonElement item, string name, out Guid value)
    {
        value = Guid.Empty;
        return Text(item, name) is { } text && Guid.TryParse(text, out value);
    }
}
