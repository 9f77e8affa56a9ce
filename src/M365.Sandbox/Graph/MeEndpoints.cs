using System.Text.Json;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph;

/// <summary>GET /{version}/me: the signed-in user, from the token's claims. App-only tokens get Graph's 400.</summary>
internal static class MeEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version) =>
        graph.MapGet($"/{version}/me", (HttpContext context) => GetAsync(context, version));

    private static async Task GetAsync(HttpContext context, string version)
    {
        var token = await context.AuthorizeAsync(GraphPermissions.ReadMe);
        if (token is null)
        {
            return;
        }

        if (token.IsAppOnly)
        {
            var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest, "/me request is only valid with delegated authentication flow.", clock);
            return;
        }

        var upn = token.Upn ?? string.Empty;
        var (given, surname) = UserNames.FromUpn(upn);
        context.Response.ContentType = "application/json;odata.metadata=minimal;charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#users/$entity");
        writer.WriteStartArray("businessPhones");
        writer.WriteEndArray();
        writer.WriteString("displayName", UserNames.DisplayName(context, token));
        writer.WriteString("givenName", given);
        writer.WriteNull("jobTitle");
        writer.WriteString("mail", upn);
        writer.WriteNull("mobilePhone");
        writer.WriteNull("officeLocation");
        writer.WriteString("preferredLanguage", "en-US");
        writer.WriteString("surname", surname);
        writer.WriteString("userPrincipalName", upn);
        writer.WriteString("id", token.ObjectId);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
