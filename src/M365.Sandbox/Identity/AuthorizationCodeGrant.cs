using System.Security.Cryptography;
using System.Text;

namespace M365.Sandbox.Identity;

/// <summary>
/// Redeems an authorization code once: the client, redirect URI and PKCE verifier must be those of the authorize
/// request, and the token is for the resource the code was issued for.
/// </summary>
internal static class AuthorizationCodeGrant
{
    public static async Task HandleAsync(TokenRequest request)
    {
        var value = request["code"];
        if (value is null)
        {
            await request.MissingAsync("code");
            return;
        }

        var store = request.Service<AuthorizationCodeStore>();
        var code = store.Find(value);
        var problem = code is null
            ? (9002313, "Invalid request. Request is malformed or invalid.")
            : store.IsExpired(code)
                ? (70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
                : code.Redeemed ? Redeemed : Mismatch(request, code);
        if (problem is null && !AuthorizationCodeStore.TryRedeem(code!))
        {
            problem = Redeemed;
        }

        if (problem is { } p)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", p.Code, p.Description);
            return;
        }

        await DelegatedTokenResponse.WriteAsync(request, code!.User, request["scope"] ?? code.Request.Scope);
    }

    private static (int Code, string Description) Redeemed =>
        (54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");

    private static (int Code, string Description)? Mismatch(TokenRequest request, AuthorizationCode code)
    {
        var issued = code.Request;
        if (issued.App.AppId != request.App.AppId)
        {
            return (70000, "Provided grant is invalid or malformed. The authorization code was issued to a different client.");
        }

        var redirectUri = request["redirect_uri"];
        if (redirectUri != issued.RedirectUri)
        {
            return (500112, $"The reply address '{redirectUri}' does not match the reply address '{issued.RedirectUri}' provided when requesting Authorization code.");
        }

        var verifier = request["code_verifier"];
        if (issued.CodeChallenge is null)
        {
            return verifier is null ? ScopeMismatch(request, issued) : (50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
        }

        if (verifier is null || !ChallengeMatches(issued.CodeChallenge, verifier))
        {
            return (501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
        }

        return ScopeMismatch(request, issued);
    }

    // The code stands for one resource; a token request may name its scopes again, not another resource.
    private static (int Code, string Description)? ScopeMismatch(TokenRequest request, AuthorizationRequest issued)
    {
        var scope = request["scope"];
        var asked = scope is null ? null : ScopeRequest.Parse(scope, request.Service<Directory.TenantDirectory>(), out _, out _);
        return asked is null || string.Equals(asked.Audience, issued.Resource.Audience, StringComparison.OrdinalIgnoreCase)
            ? null
            : (70000, $"Provided grant is invalid or malformed. The authorization code was issued for '{issued.Resource.Audience}', not '{asked.Audience}'.");
    }

    private static bool ChallengeMatches(string challenge, string verifier) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))),
            Encoding.ASCII.GetBytes(challenge));
}
