using M365.Sandbox.Directory;
using M365.Sandbox.Graph.ServicePrincipals;

namespace M365.Sandbox.Identity;

/// <summary>
/// Whether the tenant consented to every permission a request asks of its resource (.default asks for the configured
/// set), with Microsoft's first-party rules: a pre-authorized app may ask for /.default only (AADSTS65002), and an app
/// with dynamic consent is consented on the fly by an admin (for the tenant) or by a user (only for what users may consent to).
/// </summary>
internal static class ConsentCheck
{
    public const int ConsentRequired = 65001;
    public const int PreAuthorizationRequired = 65002;

    /// <summary>The consented permissions, or null with the AADSTS code when consent is missing or not possible.</summary>
    public static IReadOnlyList<string>? Consented(TenantDirectory directory, SeededApp app, ScopeRequest request, SeededUser? user, out int code)
    {
        code = ConsentRequired;
        if (app.PreAuthorizedOnly && request.Permissions.Any(p => p != ".default"))
        {
            code = PreAuthorizationRequired;
            return null;
        }

        var consented = directory.ConsentedScopes(app, request.Service) ?? Array.Empty<string>();
        var missing = request.Permissions.Where(p => p != ".default" && !consented.Contains(p, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (missing.Length == 0)
        {
            return consented.Count > 0 ? consented : null;
        }

        if (!app.DynamicConsent || user is null)
        {
            return null;
        }

        if (user.IsAdmin)
        {
            // An admin's consent prompt for a first-party tool: consented for the organisation, as the portal's default.
            directory.GrantConsent(app.AppId, request.Service, missing);
            return directory.ConsentedScopes(app, request.Service);
        }

        // A user consents for themselves only, and only to permissions that do not need an admin.
        return missing.Any(p => WellKnownServicePrincipals.RequiresAdminConsent(request.Service.ResourceAppId, p))
            ? null
            : consented.Union(missing, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>The AADSTS description for a consent failure.</summary>
    public static string Describe(int code, SeededApp app, ScopeRequest request) => code == PreAuthorizationRequired
        ? $"Consent between first party application '{app.AppId}' and first party resource '{request.Service.ResourceAppId}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API."
        : $"The user or administrator has not consented to use the application with ID '{app.AppId}' named '{app.DisplayName}'. Send an interactive authorization request for this user and resource.";
}
