using System.Globalization;
using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Applications;

/// <summary>Writes application and federatedIdentityCredential objects as Graph v1.0 shapes them.</summary>
internal static class ApplicationJsonWriter
{
    public static void WriteApplication(Utf8JsonWriter writer, ApplicationRegistration app, string publisherDomain)
    {
        writer.WriteString("id", app.Id);
        writer.WriteNull("deletedDateTime");
        writer.WriteString("appId", app.AppId);
        writer.WriteNull("applicationTemplateId");
        writer.WriteString("createdDateTime", app.CreatedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteNull("description");
        writer.WriteString("displayName", app.DisplayName);
        writer.WriteStartArray("identifierUris");
        foreach (var uri in app.IdentifierUris)
        {
            writer.WriteStringValue(uri);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("isFallbackPublicClient", app.IsFallbackPublicClient);
        writer.WriteString("publisherDomain", publisherDomain);
        writer.WriteString("signInAudience", app.SignInAudience);
        writer.WriteStartArray("tags");
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
