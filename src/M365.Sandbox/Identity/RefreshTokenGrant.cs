using System.Globalization;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Redeems a refresh token for any consented resource, issuing a new refresh token each time.</summary>
internal static class RefreshTokenGrant
{
    public static async Task HandleAsync(TokenRequest request)
    {
        var token = request["refresh_token"];
        if (token is null)
        {
            await request.MissingAsync("refresh_token");
            return;
        }

        var problem = request.Service<RefreshTokenStore>().Check(token, request.App.AppId, out var grant);
        var user = grant is null ? null : request.Service<TenantDirectory>().FindUser(grant.UserId);
        var issued = grant?.IssuedAt.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        switch (problem)
        {
            case RefreshTokenProblem.Unknown:
                await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
                return;
            case RefreshTokenProblem.WrongClient:
                await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 70000, "Provided grant is invalid or malformed. The refresh token was issued to a different client.");
                return;
            case RefreshTokenProblem.Expired:
                await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 700082, $"The refresh token has expired due to inactivity. The token was issued on {issued} and was inactive for {request.Service<TokenLifetimes>().RefreshToken}.", "bad_token");
                return;
            case RefreshTokenProblem.Revoked:
                var validFrom = request.Service<TenantDirectory>().TokensValidFrom(grant!.UserId)?.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
                await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 50173, $"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{validFrom}'.", "bad_token");
                return;
        }

        if (user is null)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 50034, "The user account does not exist in the directory.");
            return;
        }

        await DelegatedTokenResponse.WriteAsync(request, user, request["scope"]);
    }
}
