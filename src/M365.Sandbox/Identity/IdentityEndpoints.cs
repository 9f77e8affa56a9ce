using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>Entra ID v2.0 on login.microsoftonline.com: discovery, metadata, keys, device code, token, device login page, authorize.</summary>
public static class IdentityEndpoints
{
    private const string Authority = "https://login.microsoftonline.com";

    public static WebApplication MapSandboxIdentity(this WebApplication app, SandboxHostNames hosts)
    {
        var login = app.MapGroup(string.Empty).RequireHost(SandboxHostNames.Login);
        login.MapGet("/{tenant}/discovery/instance", InstanceDiscovery);
        login.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", OpenIdConfiguration);
        login.MapGet("/{tenant}/discovery/v2.0/keys", (SandboxSigningKey key) => Results.Text(key.ToJwks().ToJsonString(), "application/json"));
        login.MapGet("/{tenant}/discovery/keys", (SandboxSigningKey key) => Results.Text(key.ToJwks().ToJsonString(), "application/json"));
        login.MapGet("/common/userrealm/{username}", UserRealm);
        login.MapPost("/{tenant}/oauth2/v2.0/devicecode", DeviceCodeEndpoint.HandleAsync);
        login.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext context, string tenant) => TokenEndpoint.HandleAsync(context, tenant));

        // The device login page and browser sign-in: on the login host for browsers that resolve it to the sandbox, and on the bare loopback host.
        foreach (var group in new[] { login, app.MapGroup(string.Empty).RequireHost(Control.ControlApi.Hosts) })
        {
            group.MapGet("/devicelogin", DeviceLoginPage.ShowAsync);
            group.MapPost("/devicelogin", DeviceLoginPage.SubmitAsync);

            // Browser sign-in; the pages post back to the origin they came from.
            group.MapGet("/{tenant}/oauth2/v2.0/authorize", AuthorizeEndpoint.AuthorizeV2Async);
            group.MapGet("/{tenant}/oauth2/authorize", AuthorizeEndpoint.AuthorizeV1Async);
            group.MapPost("/{tenant}/login", AuthorizeEndpoint.SignInAsync);
            group.MapPost("/{tenant}/Consent/Set", AuthorizeEndpoint.ConsentAsync);
        }

        return app;
    }

    private static IResult InstanceDiscovery(HttpContext context, string tenant)
    {
        // tenant_discovery_endpoint names the tenant of the authority being validated.
        var authorityTenant = "common";
        if (Uri.TryCreate(context.Request.Query["authorization_endpoint"].ToString(), UriKind.Absolute, out var endpoint) && endpoint.Segments.Length > 1)
        {
            authorityTenant = endpoint.Segments[1].TrimEnd('/');
        }

        var body = new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{Authority}/{authorityTenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = SandboxHostNames.Login,
                ["preferred_cache"] = "login.windows.net",
                ["aliases"] = new JsonArray("login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"),
            }),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static async Task OpenIdConfiguration(HttpContext context, string tenant, TenantDirectory directory)
    {
        if (!TenantPath.IsKnown(tenant, directory))
        {
            await TenantPath.WriteNotFoundAsync(context, tenant);
            return;
        }

        var issuerTenant = Guid.TryParse(tenant, out _) || tenant.Contains('.') ? directory.TenantId.ToString() : "{tenantid}";
        var body = new JsonObject
        {
            ["token_endpoint"] = $"{Authority}/{tenant}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = $"{Authority}/{tenant}/discovery/v2.0/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = $"{Authority}/{issuerTenant}/v2.0",
            ["request_uri_parameter_supported"] = false,
            ["userinfo_endpoint"] = "https://graph.microsoft.com/oidc/userinfo",
            ["authorization_endpoint"] = $"{Authority}/{tenant}/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = $"{Authority}/{tenant}/oauth2/v2.0/devicecode",
            ["end_session_endpoint"] = $"{Authority}/{tenant}/oauth2/v2.0/logout",
            ["tenant_region_scope"] = "NA",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static IResult UserRealm(string username, TenantDirectory directory)
    {
        var domain = username.Contains('@') ? username[(username.IndexOf('@') + 1)..] : string.Empty;
        var managed = string.Equals(domain, directory.Seed.TenantDomain, StringComparison.OrdinalIgnoreCase);
        var body = new JsonObject
        {
            ["ver"] = "1.0",
            ["account_type"] = managed ? "Managed" : "Unknown",
            ["domain_name"] = domain,
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_audience_urn"] = "urn:federation:MicrosoftOnline",
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }
}
