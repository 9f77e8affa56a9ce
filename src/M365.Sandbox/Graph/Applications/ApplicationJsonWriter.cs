using System.Globalization;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Applications;

/// <summary>Writes application and federatedIdentityCredential objects as Graph v1.0 shapes them.</summary>
internal static class ApplicationJsonWriter
{
    /// <summary>The properties an application has (and $select may name), in Graph's order.</summary>
    public static readonly string[] Properties =
    {
        "id", "deletedDateTime", "appId", "applicationTemplateId", "createdDateTime", "description", "displayName", "identifierUris",
        "isFallbackPublicClient", "publisherDomain", "signInAudience", "tags", "keyCredentials", "passwordCredentials", "publicClient",
        "requiredResourceAccess", "spa", "web",
    };

    /// <param name="select">The $select names (null for all).</param>
    public static void WriteApplication(Utf8JsonWriter writer, ApplicationRegistration app, string publisherDomain, IReadOnlySet<string>? select = null)
    {
        bool Has(string name) => select is null || select.Contains(name);
        if (Has("id")) writer.WriteString("id", app.Id);
        if (Has("deletedDateTime")) writer.WriteNull("deletedDateTime");
        if (Has("appId")) writer.WriteString("appId", app.AppId);
        if (Has("applicationTemplateId")) writer.WriteNull("applicationTemplateId");
        if (Has("createdDateTime")) writer.WriteString("createdDateTime", Date(app.CreatedDateTime));
        if (Has("description")) writer.WriteString("description", app.Description);
        if (Has("displayName")) writer.WriteString("displayName", app.DisplayName);
        if (Has("identifierUris")) Strings(writer, "identifierUris", app.IdentifierUris);
        if (Has("isFallbackPublicClient")) writer.WriteBoolean("isFallbackPublicClient", app.IsFallbackPublicClient);
        if (Has("publisherDomain")) writer.WriteString("publisherDomain", publisherDomain);
        if (Has("signInAudience")) writer.WriteString("signInAudience", app.SignInAudience);
        if (Has("tags")) Strings(writer, "tags", Array.Empty<string>());
        if (Has("keyCredentials")) KeyCredentials(writer, app.KeyCredentials);
        if (Has("passwordCredentials")) Strings(writer, "passwordCredentials", Array.Empty<string>());
        if (Has("publicClient")) RedirectUris(writer, "publicClient", app.PublicClientRedirectUris);
        if (Has("requiredResourceAccess")) ResourceAccess(writer, app.RequiredResourceAccess);
        if (Has("spa")) RedirectUris(writer, "spa", Array.Empty<string>());
        if (Has("web")) RedirectUris(writer, "web", app.WebRedirectUris);
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void RedirectUris(Utf8JsonWriter writer, string name, IEnumerable<string> uris)
    {
        writer.WriteStartObject(name);
        Strings(writer, "redirectUris", uris);
        writer.WriteEndObject();
    }

    private static void ResourceAccess(Utf8JsonWriter writer, IEnumerable<RequiredResourceAccess> list)
    {
        writer.WriteStartArray("requiredResourceAccess");
        foreach (var resource in list)
        {
            writer.WriteStartObject();
            writer.WriteString("resourceAppId", resource.ResourceAppId);
            writer.WriteStartArray("resourceAccess");
            foreach (var access in resource.ResourceAccess)
            {
                writer.WriteStartObject();
                writer.WriteString("id", access.Id);
                writer.WriteString("type", access.Type);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // Graph never gives the key back on a read (key is null); the thumbprint is the customKeyIdentifier.
    private static void KeyCredentials(Utf8JsonWriter writer, IEnumerable<KeyCredential> keys)
    {
        writer.WriteStartArray("keyCredentials");
        foreach (var key in keys)
        {
            writer.WriteStartObject();
            writer.WriteString("customKeyIdentifier", Convert.ToBase64String(key.Certificate.GetCertHash()));
            writer.WriteString("displayName", key.DisplayName);
            writer.WriteString("endDateTime", Date(key.Certificate.NotAfter.ToUniversalTime()));
            writer.WriteNull("key");
            writer.WriteString("keyId", key.KeyId);
            writer.WriteString("startDateTime", Date(key.Certificate.NotBefore.ToUniversalTime()));
            writer.WriteString("type", key.Type);
            writer.WriteString("usage", key.Usage);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteCredential(Utf8JsonWriter writer, FederatedIdentityCredential credential)
    {
        writer.WriteStartArray("audiences");
        foreach (var audience in credential.Audiences)
        {
            writer.WriteStringValue(audience);
        }

        writer.WriteEndArray();
        writer.WriteString("description", credential.Description);
        writer.WriteString("id", credential.Id);
        writer.WriteString("issuer", credential.Issuer);
        writer.WriteString("name", credential.Name);
        writer.WriteString("subject", credential.Subject);
    }
}
