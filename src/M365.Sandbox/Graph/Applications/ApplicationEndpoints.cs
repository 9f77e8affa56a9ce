using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph.Applications;

/// <summary>
/// /{version}/applications: list (<c>$filter</c> appId/displayName <c>eq</c> or <c>in</c>, <c>$select</c>), create,
/// and by object id (<c>/applications/{id}</c>) or app id (<c>/applications(appId='…')</c>) get, update and delete.
/// Deleting an app deletes its service principal, the consents it holds and its federated credentials, as in Entra ID.
/// </summary>
internal static partial class ApplicationEndpoints
{
    public static void Map(RouteGroupBuilder graph, string version)
    {
        graph.MapGet($"/{version}/applications", (HttpContext context) => ListAsync(context, version));
        graph.MapPost($"/{version}/applications", (HttpContext context) => CreateAsync(context, version));
        foreach (var (path, byAppId) in new[] { ($"/{version}/applications/{{id}}", false), ($"/{version}/applications(appId='{{id}}')", true) })
        {
            graph.MapGet(path, (HttpContext context, string id) => GetAsync(context, version, id, byAppId));
            graph.MapPatch(path, (HttpContext context, string id) => UpdateAsync(context, id, byAppId));
            graph.MapDelete(path, (HttpContext context, string id) => DeleteAsync(context, id, byAppId));
        }

        FederatedIdentityCredentialEndpoints.Map(graph, version);
    }

    /// <summary>The application addressed by the URL's object id (or app id), or null after writing Graph's 400/404.</summary>
    internal static async Task<ApplicationRegistration?> FindAsync(HttpContext context, string id, bool byAppId = false)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            await DirectoryWrites.BadRequestAsync(context, $"Invalid object identifier '{id}'.");
            return null;
        }

        var store = context.RequestServices.GetRequiredService<ApplicationStore>();
        var app = byAppId ? store.FindByAppId(guid) : store.Find(guid);
        if (app is null)
        {
            await DirectoryWrites.NotFoundAsync(context, id);
        }

        return app;
    }

    private static async Task ListAsync(HttpContext context, string version)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null || await SelectAsync(context) is not { } select)
        {
            return;
        }

        IEnumerable<ApplicationRegistration> apps = context.RequestServices.GetRequiredService<ApplicationStore>().List();
        var filter = context.Request.Query["$filter"].ToString();
        if (filter.Length > 0)
        {
            if (Matcher(filter.Trim()) is not { } matches)
            {
                await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.UnsupportedQuery,
                    $"The $filter '{filter}' is not supported on applications by this sandbox tenant: use appId or displayName with eq or in.", Clock(context));
                return;
            }

            apps = apps.Where(matches);
        }

        await using var writer = StartJson(context);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{SandboxHostNames.Graph}/{version}/$metadata#applications{select.ContextSuffix}");
        writer.WriteStartArray("value");
        foreach (var app in apps)
        {
            writer.WriteStartObject();
            ApplicationJsonWriter.WriteApplication(writer, app, Domain(context), select.Names);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task GetAsync(HttpContext context, string version, string id, bool byAppId)
    {
        if (await context.AuthorizeAsync(GraphPermissions.ReadApplications) is null || await SelectAsync(context) is not { } select
            || await FindAsync(context, id, byAppId) is not { } app)
        {
            return;
        }

        // As Graph: the key of a keyCredential is given only on a single object read that selects keyCredentials.
        await WriteEntityAsync(context, version, app, StatusCodes.Status200OK, select, withKeys: select.Names?.Contains("keyCredentials") == true);
    }

    private static async Task CreateAsync(HttpContext context, string version)
    {
        var seed = context.RequestServices.GetRequiredService<SandboxSeed>();
        if (await context.AuthorizeAsync(GraphPermissions.WriteApplications) is not { } caller
            || !await DirectoryWrites.AllowAsync(context, caller, _ => seed.UsersCanRegisterApplications))
        {
            return;
        }

        var draft = new ApplicationRegistration(Guid.Empty, Guid.Empty, string.Empty, "AzureADMyOrg", false, Array.Empty<string>(), default)
        {
            OwnerId = DirectoryWrites.UserOf(context, caller)?.Id,
        };
        var (read, code, error) = await ApplicationRequest.ReadAsync(context, draft, create: true);
        if (read is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, code!, error!, Clock(context));
            return;
        }

        var app = context.RequestServices.GetRequiredService<ApplicationStore>().Create(read);
        context.Response.Headers.Location = $"https://{SandboxHostNames.Graph}/v2/{context.RequestServices.GetRequiredService<TenantProfile>().TenantId}/directoryObjects/{app.Id}/Microsoft.DirectoryServices.Application";
        await WriteEntityAsync(context, version, app, StatusCodes.Status201Created, Selection.All);
    }

    private static async Task UpdateAsync(HttpContext context, string id, bool byAppId)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteApplications) is not { } caller || await FindAsync(context, id, byAppId) is not { } app
            || !await DirectoryWrites.AllowAsync(context, caller, user => app.OwnerId == user.Id))
        {
            return;
        }

        var (read, code, error) = await ApplicationRequest.ReadAsync(context, app, create: false);
        if (read is null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, code!, error!, Clock(context));
            return;
        }

        // The fields a PATCH cannot change stay as they were, even when the store changed meanwhile.
        context.RequestServices.GetRequiredService<ApplicationStore>().Update(app.Id, current => read with
        {
            ServicePrincipalId = current.ServicePrincipalId,
            Seeded = current.Seeded,
            AvailableFrom = current.AvailableFrom,
        });
        DirectoryWrites.NoContent(context);
    }

    private static async Task DeleteAsync(HttpContext context, string id, bool byAppId)
    {
        if (await context.AuthorizeAsync(GraphPermissions.WriteApplications) is not { } caller || await FindAsync(context, id, byAppId) is not { } app
            || !await DirectoryWrites.AllowAsync(context, caller, user => app.OwnerId == user.Id))
        {
            return;
        }

        var services = context.RequestServices;
        if (services.GetRequiredService<ApplicationStore>().Remove(app.Id) is { ServicePrincipalId: { } spId })
        {
            services.GetRequiredService<ServicePrincipalCatalog>().TryRemove(spId);
            services.GetRequiredService<PermissionGrantStore>().RemoveServicePrincipal(spId);
        }

        services.GetRequiredService<FederatedIdentityCredentialStore>().RemoveApplication(app.Id);
        DirectoryWrites.NoContent(context);
    }

    private static async Task WriteEntityAsync(HttpContext context, string version, ApplicationRegistration app, int status, Selection select, bool withKeys = false)
    {
        await using var writer = StartJson(context, status);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"https://{SandboxHostNames.Graph}/{version}/$metadata#applications{select.ContextSuffix}/$entity");
        ApplicationJsonWriter.WriteApplication(writer, app, Domain(context), select.Names, withKeys);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    internal static Utf8JsonWriter StartJson(HttpContext context, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        return new Utf8JsonWriter(context.Response.BodyWriter, GraphJson.WriterOptions);
    }

    private static TimeProvider Clock(HttpContext context) => context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider;

    private static string Domain(HttpContext context) => context.RequestServices.GetRequiredService<TenantProfile>().Hosts.TenantDomain;

    /// <summary>The $select of the request, or null after writing Graph's 400 for a property the type does not have.</summary>
    private static async Task<Selection?> SelectAsync(HttpContext context)
    {
        var raw = context.Request.Query["$select"].ToString();
        if (raw.Length == 0)
        {
            return Selection.All;
        }

        var names = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.FirstOrDefault(n => !ApplicationJsonWriter.Properties.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            await GraphError.WriteAsync(context, StatusCodes.Status400BadRequest, GraphError.BadRequest,
                $"Could not find a property named '{unknown}' on type 'microsoft.graph.application'.", Clock(context));
            return null;
        }

        var canonical = names.Select(n => ApplicationJsonWriter.Properties.First(p => p.Equals(n, StringComparison.OrdinalIgnoreCase))).Distinct().ToArray();
        return new Selection(canonical.ToHashSet(StringComparer.Ordinal), "(" + string.Join(',', canonical) + ")");
    }

    private static Func<ApplicationRegistration, bool>? Matcher(string filter)
    {
        if (EqFilter().Match(filter) is { Success: true } eq)
        {
            return Matcher(eq.Groups["property"].Value, new[] { eq.Groups["value"].Value.Replace("''", "'") });
        }

        if (InFilter().Match(filter) is { Success: true } @in)
        {
            var values = Quoted().Matches(@in.Groups["values"].Value).Select(m => m.Groups["value"].Value.Replace("''", "'")).ToArray();
            var rest = Quoted().Replace(@in.Groups["values"].Value, string.Empty).Replace(",", string.Empty).Trim();
            return values.Length > 0 && rest.Length == 0 ? Matcher(@in.Groups["property"].Value, values) : null;
        }

        return null;
    }

    private static Func<ApplicationRegistration, bool> Matcher(string property, string[] values) => property.Equals("appId", StringComparison.OrdinalIgnoreCase)
        ? app => values.Any(v => Guid.TryParse(v, out var appId) && app.AppId == appId)
        : app => values.Any(v => string.Equals(app.DisplayName, v, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^(?<property>appId|displayName)\s+eq\s+'(?<value>(?:[^']|'')*)'$", RegexOptions.IgnoreCase)]
    private static partial Regex EqFilter();

    [GeneratedRegex(@"^(?<property>appId|displayName)\s+in\s+\((?<values>.*)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex InFilter();

    [GeneratedRegex(@"\s*'(?<value>(?:[^']|'')*)'\s*")]
    private static partial Regex Quoted();

    /// <summary>A $select: the names to write (null for all) and the @odata.context suffix.</summary>
    private sealed record Selection(IReadOnlySet<string>? Names, string ContextSuffix)
    {
        public static readonly Selection All = new(null, string.Empty);
    }
}
