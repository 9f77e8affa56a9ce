using System.Text;
using System.Text.Json;
using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;

namespace M365.Sandbox.Graph.Users;

/// <summary>GET /{version}/users and /{version}/users/{id or userPrincipalName}: the seeded users of the tenant.</summary>
internal static class UserEndpoints
{
    private const string ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapGet($"/{version}/users", (HttpContext context) => ListAsync(context, version));
        graph.MapGet($"/{version}/users/{{id}}", (HttpContext context, string id) => GetAsync(context, version, id));
    }

    private static async Task ListAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadUsers) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        var query = UserListQuery.Parse(context.Request.Query, out var code, out var message);
        if (query is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, code!, message!, clock);
            return;
        }

        var users = context.RequestServices.GetRequiredService<TenantDirectory>().Seed.Users
            .Where(u => query.UserPrincipalName is null || string.Equals(u.UserPrincipalName, query.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var start = Math.Min(query.Position, users.Count);
        var end = (int)Math.Min((long)start + query.Top, users.Count);

        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#users" + (query.SelectList is null ? string.Empty : $"({query.SelectList})"));
        if (end < users.Count)
        {
            writer.WriteString("@odata.nextLink", NextLinkFor(context.Request.Query, version, end));
        }

        writer.WriteStartArray("value");
        for (var i = start; i < end; i++)
        {
            writer.WriteStartObject();
            UserJsonWriter.WriteProperties(writer, users[i], query.Properties);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadUsers) is null)
        {
            return;
        }

        var clock = context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;
        var (properties, selectList, selectError) = UserSelect.Parse(context.Request.Query["$select"].ToString());
        if (selectError is not null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest, selectError, clock);
            return;
        }

        // Graph takes either the object id or the userPrincipalName in this segment.
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        var user = Guid.TryParse(id, out var objectId) ? directory.FindUser(objectId) : directory.FindUser(id);
        if (user is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", clock);
            return;
        }

        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{Hosting.SandboxHostNames.Graph}/{version}/$metadata#users" + (selectList is null ? string.Empty : $"({selectList})") + "/$entity");
        UserJsonWriter.WriteProperties(writer, user, properties);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static string NextLinkFor(IQueryCollection query, string version, int next)
    {
        var link = new StringBuilder($"https://{Hosting.SandboxHostNames.Graph}/{version}/users?");
        foreach (var (key, value) in query)
        {
            if (!string.Equals(key, "$skiptoken", StringComparison.OrdinalIgnoreCase))
            {
                link.Append(Uri.EscapeDataString(key).Replace("%24", "$", StringComparison.Ordinal)).Append('=').Append(Uri.EscapeDataString(value.ToString())).Append('&');
            }
        }

        return link.Append("$skiptoken=").Append(SkipToken.Encode(next)).ToString();
    }
}
