using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph.Grants;

/// <summary>
/// /{version}/oauth2PermissionGrants: delegated consent of a client service principal for a resource's scopes.
/// List (<c>$filter</c> clientId, resourceId, consentType or principalId <c>eq</c>, joined by <c>and</c>), create,
/// and by id get, update (scope) and delete. Granting is an administrator's act: a member gets 403.
/// </summary>
internal static partial class PermissionGrantEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapGet($"/{version}/oauth2PermissionGrants", (HttpContext context) => ListAsync(context, version));
        graph.MapPost($"/{version}/oauth2PermissionGrants", (HttpContext context) => CreateAsync(context, version));
        graph.MapGet($"/{version}/oauth2PermissionGrants/{{id}}", (HttpContext context, string id) => GetAsync(context, version, id));
        graph.MapPatch($"/{version}/oauth2PermissionGrants/{{id}}", (HttpContext context, string id) => UpdateAsync(context, id));
        graph.MapDelete($"/{version}/oauth2PermissionGrants/{{id}}", (HttpContext context, string id) => DeleteAsync(context, id));
    }

    private static PermissionGrantStore Store(HttpContext context) => context.RequestServices.GetRequiredService<PermissionGrantStore>();

    private static string ContextUrl(string version) => $"https://{SandboxHostNames.Graph}/{version}/$metadata#oauth2PermissionGrants";

    private static async Task ListAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadPermissionGrants) is null)
        {
            return;
        }

        IEnumerable<PermissionGrant> grants = Store(context).Grants().Concat(SeededConsentView.Of(context).Grants()).ToArray();
        var filter = context.Request.Query["$filter"].ToString().Trim();
        if (filter.Length > 0)
        {
            var clauses = Regex.Split(filter, @"\s+and\s+", RegexOptions.IgnoreCase).Select(c => Clause().Match(c.Trim())).ToArray();
            if (clauses.Any(c => !c.Success))
            {
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.UnsupportedQuery,
                    "Unsupported or invalid query filter clause specified for property 'oauth2PermissionGrant': use clientId, resourceId, principalId or consentType eq '<value>', joined by and.",
                    context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider);
                return;
            }

            foreach (var clause in clauses)
            {
                var (property, value) = (clause.Groups["property"].Value.ToLowerInvariant(), clause.Groups["value"].Value);
                grants = grants.Where(g => string.Equals(Value(g, property), value, StringComparison.OrdinalIgnoreCase)).ToArray();
            }
        }

        await using var writer = JsonStart(context, StatusCodes.Status200OK);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(version));
        writer.WriteStartArray("value");
        foreach (var grant in grants)
        {
            writer.WriteStartObject();
            Write(writer, grant);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadPermissionGrants) is null)
        {
            return;
        }

        if ((Store(context).FindGrant(id) ?? SeededConsentView.Of(context).Grants().FirstOrDefault(g => g.Id == id)) is not { } grant)
        {
            await DirectoryWrites.NotFoundAsync(context, id);
            return;
        }

        await WriteEntityAsync(context, version, grant, StatusCodes.Status200OK);
    }

    private static async Task CreateAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WritePermissionGrants) is not { } caller || !await DirectoryWrites.AllowAsync(context, caller, _ => false))
        {
            return;
        }

        using var body = await ReadAsync(context);
        var root = body?.RootElement;
        var catalog = context.RequestServices.GetRequiredService<ServicePrincipalCatalog>();
        var client = Guid.TryParse(Text(root, "clientId"), out var clientId) ? catalog.FindById(clientId) : null;
        var resource = Guid.TryParse(Text(root, "resourceId"), out var resourceId) ? catalog.FindById(resourceId) : null;
        var consentType = Text(root, "consentType");
        var principalText = Text(root, "principalId");
        var principal = Guid.TryParse(principalText, out var principalId) ? context.RequestServices.GetRequiredService<TenantDirectory>().FindUser(principalId) : null;
        var problem = (client, resource, consentType) switch
        {
            (null, _, _) => "clientId",
            (_, null, _) => "resourceId",
            (_, _, not (PermissionGrantStore.AllPrincipals or PermissionGrantStore.Principal)) => "consentType",
            _ when consentType == PermissionGrantStore.AllPrincipals && principalText is not null => "principalId",
            _ when consentType == PermissionGrantStore.Principal && principal is null => "principalId",
            _ when root?.TryGetProperty("scope", out var s) is true && s.ValueKind != JsonValueKind.String => "scope",
            _ => null,
        };
        if (problem is not null)
        {
            await DirectoryWrites.BadRequestAsync(context, $"Invalid value specified for property '{problem}' of resource 'OAuth2PermissionGrant'.");
            return;
        }

        var scope = NormalizeScope(Text(root, "scope") ?? string.Empty);
        var idBytes = clientId.ToByteArray().Concat(resourceId.ToByteArray()).Concat(principal is null ? Array.Empty<byte>() : principalId.ToByteArray()).ToArray();
        var grant = new PermissionGrant(Base64Url.Encode(idBytes), clientId, consentType!, principal?.Id, resourceId, resource!.AppId, scope);
        if (!Store(context).TryAdd(grant))
        {
            await DirectoryWrites.ConflictAsync(context, "Permission entry already exists.");
            return;
        }

        context.Response.Headers.Location = $"https://{SandboxHostNames.Graph}/v2/{context.RequestServices.GetRequiredService<TenantProfile>().TenantId}/oauth2PermissionGrants/{grant.Id}";
        await WriteEntityAsync(context, version, grant, StatusCodes.Status201Created);
    }

    private static async Task UpdateAsync(HttpContext context, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WritePermissionGrants) is not { } caller)
        {
            return;
        }

        if (Store(context).FindGrant(id) is null)
        {
            await NotFoundOrReadOnlyAsync(context, id);
            return;
        }

        if (!await DirectoryWrites.AllowAsync(context, caller, _ => false))
        {
            return;
        }

        using var body = await ReadAsync(context);
        if (Text(body?.RootElement, "scope") is not { } scope)
        {
            await DirectoryWrites.BadRequestAsync(context, "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.");
            return;
        }

        Store(context).UpdateScope(id, NormalizeScope(scope));
        DirectoryWrites.NoContent(context);
    }

    private static async Task DeleteAsync(HttpContext context, string id)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WritePermissionGrants) is not { } caller)
        {
            return;
        }

        if (Store(context).FindGrant(id) is null)
        {
            await NotFoundOrReadOnlyAsync(context, id);
            return;
        }

        if (await DirectoryWrites.AllowAsync(context, caller, _ => false) && Store(context).RemoveGrant(id))
        {
            DirectoryWrites.NoContent(context);
        }
    }

    private static Task NotFoundOrReadOnlyAsync(HttpContext context, string id) =>
        SeededConsentView.Of(context).Grants().Any(g => g.Id == id)
            ? DirectoryWrites.BadRequestAsync(context, SeededConsentView.ReadOnlyMessage)
            : DirectoryWrites.NotFoundAsync(context, id);

    private static string NormalizeScope(string scope) => string.Join(' ', scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase));

    private static string? Value(PermissionGrant grant, string property) => property switch
    {
        "clientid" => grant.ClientId.ToString(),
        "resourceid" => grant.ResourceId.ToString(),
        "principalid" => grant.PrincipalId?.ToString(),
        _ => grant.ConsentType,
    };

    internal static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string? Text(JsonElement? root, string name) =>
        root is { } r && r.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static Utf8JsonWriter JsonStart(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        return new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
    }

    private static async Task WriteEntityAsync(HttpContext context, string version, PermissionGrant grant, int status)
    {
        await using var writer = JsonStart(context, status);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", ContextUrl(version) + "/$entity");
        Write(writer, grant);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static void Write(Utf8JsonWriter writer, PermissionGrant grant)
    {
        writer.WriteString("clientId", grant.ClientId);
        writer.WriteString("consentType", grant.ConsentType);
        writer.WriteString("id", grant.Id);
        if (grant.PrincipalId is { } principal)
        {
            writer.WriteString("principalId", principal);
        }
        else
        {
            writer.WriteNull("principalId");
        }

        writer.WriteString("resourceId", grant.ResourceId);
        writer.WriteString("scope", grant.Scope);
    }

    [GeneratedRegex(@"^(?<property>clientId|resourceId|principalId|consentType)\s+eq\s+'(?<value>[^']*)'$", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();
}
