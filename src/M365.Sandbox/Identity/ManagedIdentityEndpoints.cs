using System.Globalization;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// Managed identity: the App Service / Automation endpoint (GET /msi/token, X-IDENTITY-HEADER, api-version 2019-08-01),
/// the Service Fabric protocol on the same path (header <c>secret</c>, api-version 2020-05-01: what MSAL.NET speaks when
/// IDENTITY_SERVER_THUMBPRINT is set too) on the loopback host, and IMDS (GET /metadata/identity/oauth2/token,
/// Metadata: true) for Host 169.254.169.254.
/// </summary>
/// <remarks>
/// Continuous Access Evaluation: MSAL.NET 4.92.0 sends <c>xms_cc</c> (its client capabilities, comma-separated) and, when a
/// token is asked for with claims, <c>token_sha256_to_refresh</c> (lowercase hex SHA-256 of the cached, rejected token)
/// to the Service Fabric source only; never the claims themselves. /msi/token honours both in either protocol: with
/// <c>cp1</c> the token carries <c>xms_cc</c>, and a request whose hash names a token this sandbox issued to the same
/// identity for the same resource answers the pending challenges (<c>caeClaims</c> in the request log). IMDS takes
/// neither, so its tokens are never CAE-capable.
/// </remarks>
public static class ManagedIdentityEndpoints
{
    public const string AppServiceApiVersion = "2019-08-01";
    public const string ServiceFabricApiVersion = "2020-05-01";

    private enum Source
    {
        AppService,
        ServiceFabric,
        Imds,
    }

    public static WebApplication MapSandboxManagedIdentity(this WebApplication app)
    {
        app.MapGet("/msi/token", IdentityEndpointAsync).RequireHost(Control.ControlApi.Hosts);
        app.MapGet("/metadata/identity/oauth2/token", ImdsAsync).RequireHost(SandboxHostNames.Imds);
        return app;
    }

    private static async Task IdentityEndpointAsync(HttpContext context, ManagedIdentitySecret secret)
    {
        var query = context.Request.Query;
        var apiVersion = query["api-version"].ToString();
        var source = apiVersion switch
        {
            AppServiceApiVersion => Source.AppService,
            ServiceFabricApiVersion => Source.ServiceFabric,
            _ => (Source?)null,
        };
        if (source is null)
        {
            await WriteErrorAsync(context, 400, "invalid_request", $"api-version must be {AppServiceApiVersion} (App Service) or {ServiceFabricApiVersion} (Service Fabric).");
            return;
        }

        var header = source == Source.AppService ? "X-IDENTITY-HEADER" : "secret";
        if (!PasswordGrant.FixedTimeEquals(secret.Value, context.Request.Headers[header].ToString()))
        {
            await WriteErrorAsync(context, 401, "invalid_request", $"The {header} header is missing or wrong.");
            return;
        }

        // Service Fabric names a user-assigned identity by its object id only (principalId); App Service by client_id.
        var identity = source == Source.ServiceFabric
            ? FindByObjectId(context, query["principalId"].ToString())
            : FindByClientId(context, query["client_id"].ToString());
        await IssueAsync(context, query["resource"].ToString(), identity, source.Value);
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

        await IssueAsync(context, context.Request.Query["resource"].ToString(), FindByClientId(context, context.Request.Query["client_id"].ToString()), Source.Imds);
    }

    private static SeededManagedIdentity? FindByClientId(HttpContext context, string clientId)
    {
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        Guid? requested = Guid.TryParse(clientId, out var id) ? id : null;
        return clientId.Length > 0 && requested is null ? null : directory.FindManagedIdentity(requested);
    }

    private static SeededManagedIdentity? FindByObjectId(HttpContext context, string objectId)
    {
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        if (objectId.Length == 0)
        {
            return directory.FindManagedIdentity(null);
        }

        return Guid.TryParse(objectId, out var id) ? directory.Seed.ManagedIdentities.FirstOrDefault(m => m.ObjectId == id) : null;
    }

    private static async Task IssueAsync(HttpContext context, string resource, SeededManagedIdentity? identity, Source source)
    {
        var services = context.RequestServices;
        var hosts = services.GetRequiredService<SandboxHostNames>();
        if (resource.Length == 0)
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Required query variable 'resource' is missing");
            return;
        }

        var scopeRequest = ScopeRequest.Parse(resource.EndsWith("/.default", StringComparison.Ordinal) ? resource : resource.TrimEnd('/') + "/.default", services.GetRequiredService<Directory.TenantDirectory>(), out _, out var error);
        if (scopeRequest is null)
        {
            await WriteErrorAsync(context, 400, "invalid_resource", error);
            return;
        }

        if (identity is null)
        {
            await WriteErrorAsync(context, 400, "invalid_request", "Identity not found");
            return;
        }

        var ledger = services.GetRequiredService<ManagedIdentityTokenLedger>();
        CaeGrant? cae = null;
        if (source != Source.Imds)
        {
            var query = context.Request.Query;
            var capable = query["xms_cc"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains("cp1", StringComparer.Ordinal);
            var refreshes = ledger.WasIssued(query["token_sha256_to_refresh"].ToString(), identity.ClientId, scopeRequest.Audience);
            cae = services.GetRequiredService<CaeChallenges>().ForManagedIdentityRequest(capable, refreshes, identity.ObjectId.ToString(), identity.ClientId.ToString(), scopeRequest.Audience);
            context.Items[RequestItems.CaeClaims] = cae.AnsweredChallenge;
        }

        var roles = identity.ApplicationPermissions.TryGetValue(scopeRequest.Service.Key, out var r) ? r : Array.Empty<string>();
        var token = services.GetRequiredService<TokenIssuer>().IssueAppOnly(identity.ClientId, identity.DisplayName, identity.ObjectId, scopeRequest.Audience, roles, 2, cae);
        ledger.Record(token.Token, identity.ClientId, scopeRequest.Audience);
        context.Items[RequestItems.IssuedAudience] = scopeRequest.Audience;
        context.Items[RequestItems.GrantType] = source switch
        {
            Source.Imds => "managed_identity_imds",
            Source.ServiceFabric => "managed_identity_service_fabric",
            _ => "managed_identity_app_service",
        };
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var body = new JsonObject
        {
            ["access_token"] = token.Token,
            ["expires_on"] = token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        };
        if (source != Source.ServiceFabric)
        {
            body["client_id"] = identity.ClientId.ToString();
        }

        if (source == Source.Imds)
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
