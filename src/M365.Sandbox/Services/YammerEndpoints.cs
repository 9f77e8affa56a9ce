using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using M365.Sandbox.Graph;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Services;

/// <summary>
/// Yammer's REST API (www.yammer.com and api.yammer.com): GET /api/v1/users/current.json. Yammer supports only
/// delegated tokens; an app-only token is refused with a 401 and Yammer's JSON error.
/// </summary>
internal static class YammerEndpoints
{
    private static readonly AccessRequirement ReadCurrentUser = AccessRequirement.Of(new[] { "user_impersonation" }, Array.Empty<string>());

    public static void Map(RouteGroupBuilder yammer) => yammer.MapGet("/api/v1/users/current.json", CurrentUserAsync);

    private static async Task CurrentUserAsync(HttpContext context)
    {
        var token = await context.AuthorizeAsync(ReadCurrentUser);
        if (token is null)
        {
            return;
        }

        if (token.IsAppOnly)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(
                new { response = new { message = "Token not found.", code = 16, stat = "fail" } },
                GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
            return;
        }

        var upn = token.Upn ?? string.Empty;
        var domain = upn.Contains('@') ? upn[(upn.IndexOf('@') + 1)..] : token.TenantId.ToString();
        var userId = NumericId("user:" + token.ObjectId);
        var networkId = NumericId("network:" + token.TenantId);
        var (given, surname) = UserNames.FromUpn(upn);
        await context.Response.WriteAsJsonAsync(new
        {
            type = "user",
            id = userId,
            network_id = networkId,
            state = "active",
            guid = (string?)null,
            job_title = string.Empty,
            location = string.Empty,
            full_name = UserNames.DisplayName(context, token),
            first_name = given,
            last_name = surname,
            name = upn.Split('@')[0].Replace(".", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
            email = upn,
            network_name = domain,
            network_domains = new[] { domain },
            url = $"https://www.yammer.com/api/v1/users/{userId}",
            web_url = $"https://www.yammer.com/{domain}/users/{userId}",
            mugshot_url = "https://mug0.assets-yammer.com/mugshot/images/48x48/no_photo.png",
            admin = "false",
            verified_admin = "false",
            can_broadcast = "false",
            timezone = "Pacific Time (US & Canada)",
            aad_guest = false,
        }, GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
    }

    // Yammer ids are positive 64-bit integers; deriving them from the Entra ids keeps them stable across restarts.
    private static long NumericId(string seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % 9_000_000_000_000UL) + 1_000_000_000L;
    }
}
