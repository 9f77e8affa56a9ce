using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// Validates an authorize query as Entra ID does, in its order: tenant, app and redirect URI first, whose failures
/// are an error page (the redirect URI cannot be trusted yet); then the rest, whose failures go back to the redirect URI.
/// </summary>
internal static class AuthorizeRequestReader
{
    private static readonly string[] ResponseModes = { "query", "fragment", "form_post" };

    /// <summary>The request, or null after the error page or error redirect was written.</summary>
    public static async Task<AuthorizationRequest?> ReadAsync(HttpContext context, string tenant, bool v1)
    {
        var query = context.Request.Query;
        var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
        if (!TenantPath.IsKnown(tenant, directory))
        {
            await SignInPages.ErrorAsync(context, 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
            return null;
        }

        var clientId = query["client_id"].ToString();
        if (clientId.Length == 0)
        {
            await SignInPages.ErrorAsync(context, 900144, "The request body must contain the following parameter: 'client_id'.");
            return null;
        }

        var app = Guid.TryParse(clientId, out var appId) ? directory.FindApp(appId) : null;
        if (app is null)
        {
            await SignInPages.ErrorAsync(context, 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{directory.Seed.TenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
            return null;
        }

        var redirectUri = query["redirect_uri"].ToString();
        if (redirectUri.Length == 0)
        {
            await SignInPages.ErrorAsync(context, 900144, "The request body must contain the following parameter: 'redirect_uri'.");
            return null;
        }

        if (!RedirectUriMatcher.Matches(app.RedirectUris, redirectUri))
        {
            await SignInPages.ErrorAsync(context, 50011,
                $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{app.AppId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");
            return null;
        }

        // From here on the redirect URI is the app's own: errors go back to it, with the state.
        var responseMode = query["response_mode"].ToString() is { Length: > 0 } mode ? mode : "query";
        var partial = new AuthorizationRequest
        {
            Tenant = tenant,
            App = app,
            RedirectUri = redirectUri,
            ResponseMode = ResponseModes.Contains(responseMode) ? responseMode : "query",
            State = query.ContainsKey("state") ? query["state"].ToString() : null,
            Scope = string.Empty,
            Resource = null!,
            LoginHint = query["login_hint"].ToString() is { Length: > 0 } hint ? hint : null,
            IsV1 = v1,
        };
        var problem = Problem(query, responseMode, v1, out var scope, out var challenge);
        if (problem is { } p)
        {
            await AuthorizeAnswer.ErrorAsync(context, partial, p.Error, p.Code, p.Description);
            return null;
        }

        var resource = ScopeRequest.Parse(scope, directory, out var code, out var error);
        if (resource is null)
        {
            await AuthorizeAnswer.ErrorAsync(context, partial, code == 500011 ? "invalid_resource" : "invalid_scope", code, error);
            return null;
        }

        return partial with { Scope = scope, Resource = resource, CodeChallenge = challenge };
    }

    private static (string Error, int Code, string Description)? Problem(IQueryCollection query, string responseMode, bool v1, out string scope, out string? challenge)
    {
        scope = v1 ? query["resource"].ToString().TrimEnd('/') + "/.default" : query["scope"].ToString();
        challenge = query["code_challenge"].ToString() is { Length: > 0 } c ? c : null;
        var responseType = query["response_type"].ToString();
        if (responseType.Length == 0)
        {
            return ("invalid_request", 900144, "The request body must contain the following parameter: 'response_type'.");
        }

        if (responseType != "code")
        {
            return ("unsupported_response_type", 700054, $"response_type '{responseType}' is not enabled for the application.");
        }

        if (!ResponseModes.Contains(responseMode))
        {
            return ("invalid_request", 900144, $"The provided value for the input parameter 'response_mode' is not valid. Expected one of 'query', 'fragment', 'form_post'; got '{responseMode}'.");
        }

        if (v1 && query["resource"].ToString().Length == 0)
        {
            return ("invalid_request", 900144, "The request body must contain the following parameter: 'resource'.");
        }

        if (!v1 && scope.Length == 0)
        {
            return ("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
        }

        var method = query["code_challenge_method"].ToString();
        if (challenge is null)
        {
            return null;
        }

        if (method != "S256")
        {
            // Entra ID still takes 'plain'; the sandbox refuses it, as MSAL never sends it and it protects nothing.
            return ("invalid_request", 90023, $"The authentication service request isn't valid: the code_challenge_method '{(method.Length == 0 ? "plain" : method)}' is not supported; use S256.");
        }

        return challenge.Length == 43 && Base64Url.TryDecode(challenge, out var hash) && hash.Length == 32
            ? null
            : ("invalid_request", 501491, "Invalid size of Code_Challenge parameter: an S256 challenge is the 43-character base64url SHA-256 of the verifier.");
    }
}
