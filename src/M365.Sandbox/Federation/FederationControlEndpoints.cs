using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Federation;

/// <summary>
/// /_sandbox/federation: the environment each pipeline would have (UPPER_CASE keys, ready to set), what the next
/// tokens carry, how many were minted; PUT changes a source's tokens, POST …/token mints one, POST …/reset restores all.
/// </summary>
internal static class FederationControlEndpoints
{
    private const string Usage = "The body must be an object with any of lifetimeSeconds (1 to 604800), subject, audience, issuer (non-empty strings) and notBefore (seconds from now, or an ISO 8601 time); null restores a default.";

    public static WebApplication MapSandboxFederationControl(this WebApplication app)
    {
        var control = app.MapGroup(ControlApi.Prefix + "/federation").RequireHost(ControlApi.Hosts);
        control.MapGet("/", (HttpContext context, FederationSources sources) => Results.Text(Describe(context.Request, sources).ToJsonString(), "application/json"));
        control.MapPut("/{source}", ConfigureAsync);
        control.MapPost("/{source}/token", (HttpContext context, FederationSources sources, string source) =>
            sources.Find(source) is { } found
                ? Results.Text(new JsonObject { ["token"] = found.Mint(null, sources.Time.GetUtcNow()) }.ToJsonString(), "application/json")
                : UnknownSource(source));
        control.MapPost("/reset", (FederationSources sources, FederatedIdentityCredentialStore credentials) =>
        {
            sources.Reset();
            credentials.ResetToSeed();
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> ConfigureAsync(HttpContext context, FederationSources sources, string source)
    {
        if (sources.Find(source) is not { } found)
        {
            return UnknownSource(source);
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var settings = body is null ? null : Apply(found.Settings, found.DefaultLifetime, body, sources.Time.GetUtcNow());
        if (settings is null)
        {
            return BadRequest(Usage);
        }

        sources.Configure(found, settings);
        return Results.Text(DescribeSource(context.Request, sources, found).ToJsonString(), "application/json");
    }

    /// <summary>The settings with the body's fields applied, or null when a field is invalid.</summary>
    internal static FederationSourceSettings? Apply(FederationSourceSettings current, TimeSpan defaultLifetime, JsonObject body, DateTimeOffset now)
    {
        var settings = current;
        foreach (var (name, value) in body)
        {
            switch (name)
            {
                case "lifetimeSeconds":
                    if (value is null)
                    {
                        settings = settings with { Lifetime = defaultLifetime };
                    }
                    else if (value is JsonValue v && v.TryGetValue(out double seconds) && seconds is >= 1 and <= 604_800)
                    {
                        settings = settings with { Lifetime = TimeSpan.FromSeconds(seconds) };
                    }
                    else
                    {
                        return null;
                    }

                    break;
                case "subject" or "audience" or "issuer":
                    string? text = null;
                    if (value is not null && (value is not JsonValue t || !t.TryGetValue(out text) || string.IsNullOrEmpty(text)))
                    {
                        return null;
                    }

                    settings = name switch
                    {
                        "subject" => settings with { Subject = text },
                        "audience" => settings with { Audience = text },
                        _ => settings with { Issuer = text },
                    };
                    break;
                case "notBefore":
                    if (!TryNotBefore(value, now, out var offset))
                    {
                        return null;
                    }

                    settings = settings with { NotBeforeOffset = offset };
                    break;
                default:
                    return null;
            }
        }

        return settings;
    }

    private static bool TryNotBefore(JsonNode? value, DateTimeOffset now, out TimeSpan? offset)
    {
        offset = null;
        if (value is null)
        {
            return true;
        }

        if (value is JsonValue v && v.TryGetValue(out double seconds) && Math.Abs(seconds) <= 31_536_000)
        {
            offset = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (value is JsonValue s && s.TryGetValue(out string? text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            offset = at - now;
            return true;
        }

        return false;
    }

    internal static JsonObject Describe(HttpRequest request, FederationSources sources)
    {
        var body = new JsonObject();
        foreach (var source in sources.All)
        {
            body[source.Name] = DescribeSource(request, sources, source);
        }

        return body;
    }

    private static JsonObject DescribeSource(HttpRequest request, FederationSources sources, FederationSource source)
    {
        var baseUrl = OidcIssuerEndpoints.BaseUrl(request, source);
        var app = sources.PipelineAppId.ToString();
        var tenant = sources.TenantId.ToString();
        var body = source.Name switch
        {
            FederationSources.GitHub => new JsonObject
            {
                ["ACTIONS_ID_TOKEN_REQUEST_URL"] = baseUrl + "/token?api-version=2.0",
                ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = sources.GitHubRequestToken,
                ["GITHUB_ACTIONS"] = "true",
            },
            FederationSources.AzureDevOps => new JsonObject
            {
                ["SYSTEM_OIDCREQUESTURI"] = baseUrl + "/oidctoken",
                ["SYSTEM_ACCESSTOKEN"] = sources.AzureDevOpsAccessToken,
                ["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"] = sources.ServiceConnectionId.ToString(),
                ["AZURESUBSCRIPTION_CLIENT_ID"] = app,
                ["AZURESUBSCRIPTION_TENANT_ID"] = tenant,
            },
            _ => new JsonObject
            {
                ["AZURE_FEDERATED_TOKEN_FILE"] = sources.KubernetesTokenFile,
                ["AZURE_CLIENT_ID"] = app,
                ["AZURE_TENANT_ID"] = tenant,
                ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/",
            },
        };
        var settings = source.Settings;
        body["issuer"] = source.Issuer;
        body["subject"] = source.Subject;
        body["audience"] = settings.Audience ?? FederationIssuers.ExchangeAudience;
        body["lifetimeSeconds"] = settings.Lifetime.TotalSeconds;
        body["notBeforeSeconds"] = (settings.NotBeforeOffset ?? TimeSpan.Zero).TotalSeconds;
        body["discoveryUrl"] = baseUrl + "/.well-known/openid-configuration";
        body["issued"] = source.Issued;
        return body;
    }

    private static IResult UnknownSource(string source) =>
        Results.Json(new { error = new { code = "NotFound", message = $"No token service '{source}'; use github, azureDevOps or kubernetes." } }, statusCode: 404);

    private static IResult BadRequest(string message) => Results.Json(new { error = new { code = "BadRequest", message } }, statusCode: 400);
}
