using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// The resources' gatekeeper: 401 with a Bearer challenge for a missing or invalid token, 403 for a valid token
/// that lacks the permission (or is app-only where only delegated access is allowed).
/// </summary>
public sealed class ResourceAuthorizer : IResourceAuthorizer
{
    private readonly AccessTokenValidator _validator;
    private readonly SandboxHostNames _hosts;
    private readonly Directory.TenantDirectory _directory;
    private readonly CaeChallenges _cae;

    public ResourceAuthorizer(AccessTokenValidator validator, SandboxHostNames hosts, Directory.TenantDirectory directory, CaeChallenges cae)
    {
        _validator = validator;
        _hosts = hosts;
        _directory = directory;
        _cae = cae;
    }

    public async Task<ValidatedToken?> AuthorizeAsync(HttpContext context, AccessRequirement requirement)
    {
        var audience = SandboxHostNames.ResourceFor(context.Request.Host.Host.ToLowerInvariant());
        var token = BearerToken(context.Request);
        var validated = _validator.Validate(token, audience, out var error);
        if (validated is null)
        {
            await ChallengeAsync(context, error);
            return null;
        }

        context.Items[RequestItems.ValidatedToken] = validated;
        if (_cae.Rejecting(validated) is { } challenge)
        {
            // A client without the cp1 capability gets no claims to answer with: for it the token is simply revoked.
            await ChallengeAsync(
                context,
                "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
                validated.CaeCapable ? challenge : null);
            return null;
        }

        if (validated.IsAppOnly && requirement.DelegatedOnly)
        {
            await ServiceErrors.WriteAsync(context, 403, "AccessDenied", "This operation requires a delegated (user) token; app-only access is not supported.", _hosts);
            return null;
        }

        var allowed = validated.IsAppOnly
            ? requirement.AnyRole.Count == 0 || requirement.AnyRole.Any(validated.Roles.Contains)
            : requirement.AnyScope.Count == 0 || requirement.AnyScope.Any(validated.Scopes.Contains);
        if (!allowed)
        {
            var needed = string.Join(", ", validated.IsAppOnly ? requirement.AnyRole : requirement.AnyScope);
            var isSharePoint = context.Request.Host.Host.EndsWith(".sharepoint.com", StringComparison.OrdinalIgnoreCase);
            await ServiceErrors.WriteAsync(
                context,
                403,
                isSharePoint ? "-2147024891, System.UnauthorizedAccessException" : "Authorization_RequestDenied",
                $"Insufficient privileges to complete the operation. One of these permissions is needed: {needed}.",
                _hosts);
            return null;
        }

        return validated;
    }

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private Task ChallengeAsync(HttpContext context, string error, CaeChallenge? claimsChallenge = null)
    {
        var authorizationUri = $"https://login.microsoftonline.com/{_directory.TenantId}/oauth2/authorize";
        context.Response.Headers.WWWAuthenticate = claimsChallenge is null
            ? $"Bearer realm=\"\", authorization_uri=\"{authorizationUri}\", client_id=\"00000003-0000-0000-c000-000000000000\", error=\"invalid_token\", error_description=\"{error.Replace("\"", "'")}\""
            : $"Bearer realm=\"\", authorization_uri=\"{authorizationUri}\", client_id=\"00000003-0000-0000-c000-000000000000\", error=\"insufficient_claims\", claims=\"{claimsChallenge.ClaimsBase64}\"";
        var code = context.Request.Host.Host.EndsWith(".sharepoint.com", StringComparison.OrdinalIgnoreCase)
            ? "-2147024891, System.UnauthorizedAccessException"
            : "InvalidAuthenticationToken";
        return ServiceErrors.WriteAsync(context, 401, code, error, _hosts);
    }
}
