using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Whether the tenant consented to every permission a request asks of its resource (.default asks for the configured set).</summary>
internal static class ConsentCheck
{
    /// <summary>The consented permissions, or null when consent is missing for the resource or for one asked permission.</summary>
    public static IReadOnlyList<string>? Consented(TenantDirectory directory, SeededApp app, ScopeRequest request)
    {
        var consented = directory.ConsentedScopes(app, request.Service);
        return consented is not null && request.Permissions.All(p => p == ".default" || consented.Contains(p, StringComparer.OrdinalIgnoreCase))
            ? consented
            : null;
    }
}
