using System.Security.Cryptography;
using System.Text;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Resource owner password credentials; refused for users under MFA, as Conditional Access does.</summary>
internal static class PasswordGrant
{
    public static async Task HandleAsync(TokenRequest request)
    {
        var username = request["username"];
        var password = request["password"];
        if (username is null || password is null)
        {
            await request.MissingAsync(username is null ? "username" : "password");
            return;
        }

        var user = request.Service<TenantDirectory>().FindUser(username);
        if (user?.Password is null || !FixedTimeEquals(user.Password, password))
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
            return;
        }

        if (user.BlockedByConditionalAccess)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 53003,
                "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
            return;
        }

        if (user.MfaRegistrationRequired)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 50079,
                "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the resource.",
                suberror: "basic_action");
            return;
        }

        if (user.MfaRequired)
        {
            var resource = ScopeRequest.Parse(request["scope"], request.Service<Directory.TenantDirectory>(), out _, out _)?.Audience ?? "https://graph.microsoft.com";
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 50076,
                $"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resource}'.",
                suberror: "basic_action");
            return;
        }

        await DelegatedTokenResponse.WriteAsync(request, user, request["scope"]);
    }

    internal static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
}
