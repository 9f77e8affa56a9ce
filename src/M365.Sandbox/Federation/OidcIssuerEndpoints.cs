using System.Text.Json.Nodes;
using M365.Sandbox.Control;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Federation;

/// <summary>
/// The pipeline token services on the loopback origin: per source OIDC discovery and JWKS under /oidc/{source}/, the
/// GitHub Actions ID-token request (GET, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) and the Azure DevOps oidctoken request
/// (POST, bearer SYSTEM_ACCESSTOKEN), answered in each service's own shape.
/// </summary>
internal static class OidcIssuerEndpoints
{
    public const string Prefix = "/oidc";

    public static WebApplication MapSandboxOidcIssuers(this WebApplication app)
    {
        var oidc = app.MapGroup(Prefix).RequireHost(ControlApi.Hosts);
        oidc.MapGet("/{source}/.well-known/openid-configuration", Discovery);
        oidc.MapGet("/{source}/jwks", Jwks);
        oidc.MapGet("/github/token", GitHubTokenAsync);
        oidc.MapPost("/azuredevops/oidctoken", AzureDevOpsTokenAsync);
        return app;
    }

    /// <summary>https://127.0.0.1:port/oidc/{route} of a source, from the request's own origin.</summary>
    public static string BaseUrl(HttpRequest request, FederationSource source) => $"https://{request.Host}{Prefix}/{source.Route}";

    private static FederationSource? ByRoute(FederationSources sources, string route) =>
        sources.All.FirstOrDefault(s => string.Equals(s.Route, route, StringComparison.OrdinalIgnoreCase));

    private static IResult Discovery(HttpContext context, FederationSources sources, string source)
    {
        if (ByRoute(sources, source) is not { } found)
        {
            return Results.NotFound();
        }

        var body = new JsonObject
        {
            ["issuer"] = found.Issuer,
            ["jwks_uri"] = BaseUrl(context.Request, found) + "/jwks",
            ["subject_types_supported"] = new JsonArray("public", "pairwise"),
            ["response_types_supported"] = new JsonArray("id_token"),
            ["claims_supported"] = new JsonArray("sub", "aud", "exp", "iat", "iss", "jti", "nbf"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["scopes_supported"] = new JsonArray("openid"),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static IResult Jwks(FederationSources sources, string source) => ByRoute(sources, source) is { } found
        ? Results.Text(found.Key.ToJwks().ToJsonString(), "application/json")
        : Results.NotFound();

    private static async Task GitHubTokenAsync(HttpContext context, FederationSources sources)
    {
        if (!sources.IsGitHubRequestToken(ResourceAuthorizer.BearerToken(context.Request)))
        {
            await WriteAsync(context, 401, new JsonObject { ["message"] = "Bad credentials: the bearer must be ACTIONS_ID_TOKEN_REQUEST_TOKEN." });
            return;
        }

        // Without ?audience GitHub gives the repository owner's URL, which Entra ID does not accept.
        var audience = context.Request.Query["audience"].ToString();
        var source = sources.GitHubSource;
        var token = source.Mint(audience.Length > 0 ? audience : $"https://github.com/{sources.TenantName}", sources.Time.GetUtcNow());
        await WriteAsync(context, 200, new JsonObject { ["count"] = token.Length, ["value"] = token });
    }

    private static async Task AzureDevOpsTokenAsync(HttpContext context, FederationSources sources)
    {
        if (!sources.IsAzureDevOpsAccessToken(ResourceAuthorizer.BearerToken(context.Request)))
        {
            await WriteAsync(context, 401, VssError("TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"));
            return;
        }

        if (context.Request.Query["api-version"].ToString().Length == 0)
        {
            await WriteAsync(context, 400, VssError(
                "No api-version was supplied for the \"POST\" request. The version must be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0').",
                "VssVersionNotSpecifiedException"));
            return;
        }

        var connection = context.Request.Query["serviceConnectionId"].ToString();
        if (!Guid.TryParse(connection, out var connectionId) || connectionId != sources.ServiceConnectionId)
        {
            await WriteAsync(context, 404, VssError(
                $"The service connection with id '{connection}' does not exist or has not been authorized for use in this pipeline.",
                "ServiceEndpointNotFoundException"));
            return;
        }

        var token = sources.AzureDevOpsSource.Mint(null, sources.Time.GetUtcNow());
        await WriteAsync(context, 200, new JsonObject { ["oidcToken"] = token });
    }

    private static JsonObject VssError(string message, string typeKey) => new()
    {
        ["$id"] = "1",
        ["innerException"] = null,
        ["message"] = message,
        ["typeName"] = $"Microsoft.VisualStudio.Services.WebApi.{typeKey}, Microsoft.VisualStudio.Services.WebApi",
        ["typeKey"] = typeKey,
        ["errorCode"] = 0,
        ["eventId"] = 3000,
    };

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
