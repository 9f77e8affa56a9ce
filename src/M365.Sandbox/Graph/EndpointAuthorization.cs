using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph;

/// <summary>Every resource endpoint starts here, so no endpoint can forget to check its caller's token.</summary>
internal static class EndpointAuthorization
{
    /// <summary>
    /// Returns the validated token, or null once the authorizer has written the 401/403 (the caller just returns).
    /// </summary>
    public static Task<ValidatedToken?> AuthorizeAsync(this HttpContext context, AccessRequirement requirement) =>
        context.RequestServices.GetRequiredService<IResourceAuthorizer>().AuthorizeAsync(context, requirement);
}
