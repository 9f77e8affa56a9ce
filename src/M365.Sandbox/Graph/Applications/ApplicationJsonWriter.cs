using System.Globalization;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Applications;

/// <summary>Writes application and federatedIdentityCredential objects as Graph v1.0 shapes them.</summary>
internal static class ApplicationJsonWriter
{
    private static readonly (string Name, Action<Utf8JsonWriter, ApplicationRegistration, string> Write)[] Writers =
    {
        ("id", (w, app, _) => w.WriteString("id", app.Id)),
        ("deletedDateTime", (w, _, _) => w.WriteNull("deletedDateTime")),
        ("appId", (w, app, _) => w.WriteString("appId", app.AppId)),
        ("applicationTemplateId", (w, _, _) => w.WriteNull("applicationTemplateId")),
        ("createdDateTime", (w, app, _) => w.WriteString("createdDateTime", Date(app.CreatedDateTime))),
        ("description", (w, app, _) => w.WriteString("description", app.Description)),
        ("displayName", (w, app, _) => w.WriteString("displayName", app.DisplayName)),
        ("identifierUris", (w, app, _) => Strings(w, "identifierUris", app.IdentifierUris)),
        ("isFallbackPublicClient", (w, app, _) => w.WriteBoolean("isFallbackPublicClient", app.IsFallbackPublicClient)),
        ("publisherDomain", (w, _, domain) => w.WriteString("publisherDomain", domain)),
        ("signInAudience", (w, app, _) => w.WriteString("signInAudience", app.SignInAudience)),
        ("tags", (w, _, _) => Strings(w, "tags", Array.Empty<string>())),
        ("keyCredentials", (w, app, _) => KeyCredentials(w, app.KeyCredentials)),
        ("passwordCredentials", (w, _, _) => Strings(w, "passwordCredentials", Array.Empty<string>())),
        ("publicClient", (w, app, _) => RedirectUris(w, "publicClient", app.PublicClientRedirectUris)),
        ("requiredResourceAccess", (w, app, _) => ResourceAccess(w, app.RequiredResourceAccess)),
        ("spa", (w, _, _) => RedirectUris(w, "spa", Array.Empty<string>())),
        ("web", (w, app, _) => RedirectUris(w, "web", app.WebRedirectUris)),
    };

    /// <summary>The properties an application has (and $select may name), in Graph's order.</summary>
    public static readonly string[] Properties = Writers.Select(w => w.Name).ToArray();

    /// <param name="select">The $select names (null for all).</param>
    /// <param name="withKeys">Gives each keyCredential's key (Graph does on a single object read with $select=keyCredentials only).</param>
    public static void WriteApplication(Utf8JsonWriter writer, ApplicationRegistration app, string publisherDomain, IReadOnlySet<string>? select = null, bool withKeys = false)
    {
        foreach (var (name, write) in Writers)
        {
            if (select is null || select.Contains(name))
            {
                if (withKeys && name == "keyCredentials")
                {
                    KeyCredentials(writer, app.KeyCredentials, withKeys: true);
                    continue;
                }

                write(writer, app, publisherDomain);
            }
        }
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

    // Graph gives the key back only on a single object read with $select=keyCredentials (else null); the thumbprint is the customKeyIdentifier.
    private static void KeyCredentials(Utf8JsonWriter writer, IEnumerable<KeyCredential> keys, bool withKeys = false)
    {
        writer.WriteStartArray("keyCredentials");
        foreach (var key in keys)
        {
            writer.WriteStartObject();
            writer.WriteString("customKeyIdentifier", Convert.ToBase64String(key.Certificate.GetCertHash()));
            writer.WriteString("displayName", key.DisplayName);
            writer.WriteString("endDateTime", Date(key.Certificate.NotAfter.ToUniversalTime()));
            if (withKeys)
            {
                writer.WriteString("key", Convert.ToBase64String(key.Certificate.RawData));
            }
            else
            {
                writer.WriteNull("key");
            }

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
