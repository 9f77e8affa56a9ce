using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Which tenant segments of an authority URL the sandbox answers for.</summary>
internal static class TenantPath
{
    public static bool IsKnown(string tenant, TenantDirectory directory) =>
        tenant.Equals("common", StringComparison.OrdinalIgnoreCase) ||
        tenant.Equals("organizations", StringComparison.OrdinalIgnoreCase) ||
        tenant.Equals(directory.Seed.TenantDomain, StringComparison.OrdinalIgnoreCase) ||
        (Guid.TryParse(tenant, out var id) && id == directory.TenantId);

    public static Task WriteNotFoundAsync(HttpContext context, string tenant) => AadErrors.WriteAsync(
        context, 400, "invalid_request", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    /// <summary>Every token endpoint URL a client assertion may name as its audience.</summary>
    public static IEnumerable<string> TokenEndpointAudiences(string requestTenant, TenantDirectory directory)
    {
        foreach (var tenant in new[] { requestTenant, directory.TenantId.ToString(), directory.Seed.TenantDomain })
        {
            yield return $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
            yield return $"https://login.microsoftonline.com/{tenant}/oauth2/token";
        }

        yield return $"https://login.microsoftonline.com/{directory.TenantId}/v2.0";
    }
}
