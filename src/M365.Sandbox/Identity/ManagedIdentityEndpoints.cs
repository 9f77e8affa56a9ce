using System.Globalization;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// Managed identity: the App Service / Automation endpoint (GET /msi/token, X-IDENTITY-HEADER) on the loopback
/// host, and IMDS (GET /metadata/identity/oauth2/token, Metadata: true) for Host 169.254.169.254.
/// </summary>
public static class ManagedIdentityEndpoints
{
    public static WebApplication MapSandboxManagedIdentity(this WebApplication app)
    {
        app.MapGet("/msi/token", AppServiceAsync).RequireHost(Control.ControlApi.Hosts);
        app.MapGet("/metadata/identity/oauth2/token", ImdsAsync).RequireHost(SandboxHostNames.Imds);
        return app;
    }

    private static async Task AppServiceAsync(HttpContext context, ManagedIdentitySecret secret)
    {
        var query = context.Request.Query;
        if (!PasswordGrant.FixedTimeEquals(secret.Value, context.Request.Headers["X-IDENTITY-HEADER"].ToString()))
        {
            await WriteErrorAsync(context, 401, "invalid_request", "The X-IDENTITY-HEADER header is missing or wrong.");
            return;
        }

        if (query["api-version"].ToString() != "2019-08-01")
        {
            await WriteErrorAsync(context, 400, "invalid_request", "api-version must be 2019-08-01.");
            return;
        }

        await IssueAsync(context, query["resource"].ToString(), query["client_id"].ToString(), imds: false);
    }

    private static async Task ImdsAsync(HttpContext context)
    {
        if (!string.Equals(context.Request.Headers["Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Required metadata header not specified");
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"].ToString()))
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Required query variable 'api-version' is missing");
            return;
        }

        await IssueAsync(context, context.Request.Query["resource"].ToString(), context.Request.Query["client_id"].ToString(), imds: true);
    }

    private static async Task IssueAsync(HttpContext context, string resource, string clientId, bool imds)
    {
        var services = context.RequestServices;
        var hosts = services.GetRequiredService<SandboxHostNames>();
        if (resource.Length == 0)
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Required query variable 'resource' is missing");
            return;
        }

        var scopeRequest = ScopeRequest.Parse(resource.EndsWith("/.default", StringComparison.Ordinal) ? resource : resource.TrimEnd('/') + "/.default", hosts, out _, out var error);
        if (scopeRequest is null)
        {
            await WriteErrorAsync(context, 400, "invalid_resource", error);
            return;
        }

        var directory = services.GetRequiredService<TenantDirectory>();
        Guid? requested = Guid.TryParse(clientId, out var id) ? id : null;
        var identity = clientId.Length > 0 && requested is null ? null : directory.FindManagedIdentity(requested);
        if (identity is null)
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Identity not found");
            return;
        }

        var roles = identity.ApplicationPermissions.TryGetValue(scopeRequest.Service.Key, out var r) ? r : Array.Empty<string>();
        var token = services.GetRequiredService<TokenIssuer>().IssueAppOnly(identity.ClientId, identity.DisplayName, identity.ObjectId, scopeRequest.Audience, roles, 2);
        context.Items[RequestItems.IssuedAudience] = scopeRequest.Audience;
        context.Items[RequestItems.GrantType] = imds ? "managed_identity_imds" : "managed_identity_app_service";
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var body = new JsonObject
        {
            ["access_token"] = token.Token,
            ["expires_on"] = token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = identity.ClientId.ToString(),
        };
        if (imds)
        {
            body["expires_in"] = token.ExpiresInSeconds.ToString(CultureInfo.InvariantCulture);
            body["ext_expires_in"] = token.ExpiresInSeconds.ToString(CultureInfo.InvariantCulture);
            body["not_before"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        await TokenEndpoint.WriteJsonAsync(context, body);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["statusCode"] = status,
            ["message"] = description,
            ["correlationId"] = Guid.NewGuid().ToString(),
        }.ToJsonString());
    }
}
