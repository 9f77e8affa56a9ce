using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>Issues the answer of the delegated grants: access, refresh and id token plus client_info, after the consent check.</summary>
internal static class DelegatedTokenResponse
{
    public static async Task WriteAsync(TokenRequest request, SeededUser user, string? scope)
    {
        var hosts = request.Service<SandboxHostNames>();
        var scopeRequest = ScopeRequest.Parse(scope, request.Service<TenantDirectory>(), out var code, out var error);
        if (scopeRequest is null)
        {
            await AadErrors.WriteAsync(request.Context, 400, code == 500011 ? "invalid_resource" : "invalid_scope", code, error);
            return;
        }

        var directory = request.Service<TenantDirectory>();
        var consented = ConsentCheck.Consented(directory, request.App, scopeRequest, user, out var consentCode);
        if (consented is null)
        {
            await AadErrors.WriteAsync(
                request.Context, 400, "invalid_grant", consentCode, ConsentCheck.Describe(consentCode, request.App, scopeRequest),
                suberror: consentCode == ConsentCheck.ConsentRequired ? "consent_required" : null);
            return;
        }

        var issuer = request.Service<TokenIssuer>();
        var cae = request.Service<CaeChallenges>().ForTokenRequest(request["claims"], user.Id.ToString(), request.App.AppId.ToString(), scopeRequest.Audience);
        request.Context.Items[RequestItems.CaeClaims] = cae.AnsweredChallenge;
        var accessToken = issuer.IssueDelegated(user, request.App, scopeRequest.Audience, consented, request.AppAuthentication, cae);
        request.Context.Items[RequestItems.IssuedAudience] = scopeRequest.Audience;
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            // Only the resource's scopes: echoing openid/profile/offline_access makes MSAL drop other resources' tokens.
            ["scope"] = EchoedScope(scopeRequest, consented),
            ["expires_in"] = accessToken.ExpiresInSeconds,
            ["ext_expires_in"] = accessToken.ExpiresInSeconds,
            ["access_token"] = accessToken.Token,
            ["refresh_token"] = request.Service<RefreshTokenStore>().Issue(user, request.App),
            ["id_token"] = issuer.IssueIdToken(user, request.App),
            ["client_info"] = issuer.ClientInfo(user),
        };
        await TokenEndpoint.WriteJsonAsync(request.Context, body);
    }

    // The resource's permissions, plus the .default that was asked for: MSAL files the token under the echoed
    // scopes, and finds it again for a later .default request only when .default is among them.
    private static string EchoedScope(ScopeRequest request, IReadOnlyList<string> consented)
    {
        var scopes = consented.Select(s => request.ScopePrefix + s);
        return string.Join(' ', request.IsDefault ? scopes.Prepend(request.ScopePrefix + ".default") : scopes);
    }
}
