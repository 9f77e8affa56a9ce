using System.Text.Json;

namespace M365.Sandbox.Graph;

/// <summary>GET /{version}/organization: the tenant's id, name and verified domains.</summary>
internal static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version) =>
        graph.MapGet($"/{version}/organization", (HttpContext context) => GetAsync(context, version));

    private static async Task GetAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadOrganization) is null)
        {
            return;
        }

        var tenant = context.RequestServices.GetRequiredService<TenantProfile>();
        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#organization");
        writer.WriteStartArray("value");
        writer.WriteStartObject();
        writer.WriteString("id", tenant.TenantId);
        writer.WriteNull("deletedDateTime");
        writer.WriteString("countryLetterCode", "US");
        writer.WriteString("createdDateTime", "2017-06-01T00:00:00Z");
        writer.WriteString("displayName", tenant.DisplayName);
        writer.WriteString("preferredLanguage", "en");
        writer.WriteString("tenantType", "AAD");
        writer.WriteStartArray("verifiedDomains");
        writer.WriteStartObject();
        writer.WriteString("capabilities", "Email, OfficeCommunicationsOnline");
        writer.WriteBoolean("isDefault", true);
        writer.WriteBoolean("isInitial", true);
        writer.WriteString("name", tenant.Hosts.TenantDomain);
        writer.WriteString("type", "Managed");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
