using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>POST /{tenant}/oauth2/v2.0/token: checks tenant and client, authenticates the client, dispatches the grant.</summary>
internal static class TokenEndpoint
{
    public const string DeviceCodeGrantUrn = "urn:ietf:params:oauth:grant-type:device_code";
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static async Task HandleAsync(HttpContext context, string tenant)
    {
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        if (!TenantPath.IsKnown(tenant, directory))
        {
            await TenantPath.WriteNotFoundAsync(context, tenant);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await AadErrors.WriteAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            await AadErrors.WriteAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            return;
        }

        context.Items[RequestItems.GrantType] = grantType;
        var app = await FindClientAsync(context, form["client_id"].ToString(), tenant, directory);
        if (app is null)
        {
            return;
        }

        var appAuthentication = await AuthenticateClientAsync(context, form, app, tenant);
        if (appAuthentication < 0)
        {
            return;
        }

        if (grantType == "client_credentials" && appAuthentication == 0)
        {
            await WriteCredentialRequiredAsync(context);
            return;
        }

        var request = new TokenRequest(context, form, tenant, app, appAuthentication);
        switch (grantType)
        {
            case DeviceCodeGrantUrn or "device_code":
                await DeviceCodeGrant.HandleAsync(request);
                break;
            case "refresh_token":
                await RefreshTokenGrant.HandleAsync(request);
                break;
            case "client_credentials":
                await ClientCredentialsGrant.HandleAsync(request);
                break;
            case "password":
                await PasswordGrant.HandleAsync(request);
                break;
            case "authorization_code":
                await AuthorizationCodeGrant.HandleAsync(request);
                break;
            default:
                await AadErrors.WriteAsync(context, 400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.");
                break;
        }
    }

    /// <summary>The app named by client_id, or null after writing AADSTS900144/700016.</summary>
    internal static async Task<SeededApp?> FindClientAsync(HttpContext context, string clientId, string tenant, TenantDirectory directory)
    {
        if (clientId.Length == 0)
        {
            await AadErrors.WriteAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
            return null;
        }

        var app = Guid.TryParse(clientId, out var appId) ? directory.FindApp(appId) : null;
        if (app is null)
        {
            await AadErrors.WriteAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{directory.Seed.TenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        }

        return app;
    }

    /// <summary>appidacr of the client (0 public, 1 secret, 2 certificate), or -1 after writing the error.</summary>
    private static async Task<int> AuthenticateClientAsync(HttpContext context, IFormCollection form, SeededApp app, string tenant)
    {
        var secret = form["client_secret"].ToString();
        if (secret.Length > 0)
        {
            if (app.ClientSecret is null || !PasswordGrant.FixedTimeEquals(app.ClientSecret, secret))
            {
                await AadErrors.WriteAsync(context, 401, "invalid_client", 7000215,
                    $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{app.AppId}'.");
                return -1;
            }

            return 1;
        }

        var assertion = form["client_assertion"].ToString();
        if (assertion.Length > 0)
        {
            return await AuthenticateAssertionAsync(context, form, assertion, app, tenant);
        }

        if (!app.IsPublicClient && !IsPublicRedirect(form, app))
        {
            await WriteCredentialRequiredAsync(context);
            return -1;
        }

        return 0;
    }

    // Without "Allow public client flows", Entra ID still treats a code redeemed for one of the app's mobile-and-desktop
    // redirect URIs (and the refresh tokens it yields) as a public client's; device code and ROPC need the flag.
    private static bool IsPublicRedirect(IFormCollection form, SeededApp app) => app.RedirectUris.Count > 0 && form["grant_type"].ToString() switch
    {
        "authorization_code" => RedirectUriMatcher.Matches(app.RedirectUris, form["redirect_uri"].ToString()),
        "refresh_token" => true,
        _ => false,
    };

    /// <summary>appidacr 2 for a valid certificate or federated assertion, or -1 after writing the error.</summary>
    private static async Task<int> AuthenticateAssertionAsync(HttpContext context, IFormCollection form, string assertion, SeededApp app, string tenant)
    {
        if (form["client_assertion_type"].ToString() == JwtBearerAssertionType &&
            JsonWebToken.TryParse(assertion) is { } jwt && FederatedAssertionValidator.IsFederated(jwt, app))
        {
            var failure = context.RequestServices.GetRequiredService<FederatedAssertionValidator>().Validate(jwt, app);
            if (failure is not null)
            {
                await AadErrors.WriteAsync(context, failure.Status, failure.Error, failure.Code, failure.Description);
                return -1;
            }

            return 2;
        }

        var problem = form["client_assertion_type"].ToString() != JwtBearerAssertionType
            ? "The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer."
            : context.RequestServices.GetRequiredService<ClientAssertionValidator>().Validate(assertion, app, tenant);
        if (problem is not null)
        {
            await AadErrors.WriteAsync(context, 401, "invalid_client", 700027, problem);
            return -1;
        }

        return 2;
    }

    private static Task WriteCredentialRequiredAsync(HttpContext context) => AadErrors.WriteAsync(
        context, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    internal static Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
