namespace M365.Sandbox.Identity;

/// <summary>
/// Validates the bearer token of a resource request: RS256 signature by the sandbox key, expiry, <c>aud</c> equal
/// to the resource of the request's own host, and the permission the endpoint needs. On failure it has already
/// written the service's answer (401 with <c>WWW-Authenticate: Bearer error="invalid_token"…</c>, or 403) and
/// returns null, so the endpoint just returns.
/// </summary>
public interface IResourceAuthorizer
{
    Task<ValidatedToken?> AuthorizeAsync(HttpContext context, AccessRequirement requirement);
}
