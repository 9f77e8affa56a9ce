using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>App-only tokens for a confidential client: roles are the app roles granted on the resource.</summary>
internal static class ClientCredentialsGrant
{
    public static async Task HandleAsync(TokenRequest request)
    {
        var scope = request["scope"];
        if (scope is null)
        {
            await request.MissingAsync("scope");
            return;
        }

        var scopeRequest = ScopeRequest.Parse(scope, request.Service<TenantDirectory>(), out var code, out var error);
        if (scopeRequest is null)
        {
            await AadErrors.WriteAsync(request.Context, 400, code == 500011 ? "invalid_resource" : "invalid_scope", code, error);
            return;
        }

        if (scopeRequest.Permissions.Count != 1 || !scopeRequest.IsDefault)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_scope", 1002012,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
            return;
        }

        var app = request.App;
        if (app.ServicePrincipalId == Guid.Empty)
        {
            // An app registered through Graph whose service principal was not created (or was deleted).
            await AadErrors.WriteAsync(request.Context, 400, "invalid_client", 7000229,
                $"The client application {app.AppId} is missing service principal in the tenant {request.Service<TenantDirectory>().TenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119");
            return;
        }

        var roles = request.Service<TenantDirectory>().GrantedRoles(app, scopeRequest.Service);
        var cae = request.Service<CaeChallenges>().ForTokenRequest(request["claims"], app.ServicePrincipalId.ToString(), app.AppId.ToString(), scopeRequest.Audience);
        request.Context.Items[RequestItems.CaeClaims] = cae.AnsweredChallenge;
        var token = request.Service<TokenIssuer>().IssueAppOnly(app.AppId, app.DisplayName, app.ServicePrincipalId, scopeRequest.Audience, roles, request.AppAuthentication, cae);
        request.Context.Items[RequestItems.IssuedAudience] = scopeRequest.Audience;
        await TokenEndpoint.WriteJsonAsync(request.Context, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = token.ExpiresInSeconds,
            ["ext_expires_in"] = token.ExpiresInSeconds,
            ["access_token"] = token.Token,
        });
    }
}
