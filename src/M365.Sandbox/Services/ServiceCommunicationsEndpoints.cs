using System.Globalization;
using M365.Sandbox.Graph;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Services;

/// <summary>Office 365 Service Communications on manage.office.com: GET /api/v1.0/{tenantId}/ServiceComms/CurrentStatus.</summary>
internal static class ServiceCommunicationsEndpoints
{
    private static readonly AccessRequirement ReadServiceHealth = AccessRequirement.Of(new[] { "ServiceHealth.Read" }, new[] { "ServiceHealth.Read" });

    private static readonly (string Id, string Name)[] Workloads =
    {
        ("Exchange", "Exchange Online"),
        ("Lync", "Skype for Business"),
        ("SharePoint", "SharePoint Online"),
        ("OneDriveForBusiness", "OneDrive for Business"),
        ("microsoftteams", "Microsoft Teams"),
        ("yammer", "Yammer Enterprise"),
        ("OrgLiveID", "Identity Service"),
        ("O365Client", "Office Client Applications"),
        ("Planner", "Planner"),
        ("PowerBIcom", "Power BI"),
    };

    public static void Map(RouteGroupBuilder manage) =>
        manage.MapGet("/api/v1.0/{tenantId}/ServiceComms/CurrentStatus", (HttpContext context, string tenantId) => CurrentStatusAsync(context, tenantId));

    private static async Task CurrentStatusAsync(HttpContext context, string tenantId)
    {
        var token = await context.AuthorizeAsync(ReadServiceHealth);
        if (token is null)
        {
            return;
        }

        // The API takes the tenant id or its initial domain in the path, and serves only the token's own tenant.
        var profile = context.RequestServices.GetService<TenantProfile>();
        var isOwnTenant = (Guid.TryParse(tenantId, out var id) && id == token.TenantId)
            || (profile is not null && profile.TenantId == token.TenantId && string.Equals(tenantId, profile.Hosts.TenantDomain, StringComparison.OrdinalIgnoreCase));
        if (!isOwnTenant)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new
            {
                error = new
                {
                    code = "AF10001",
                    message = $"The tenant {tenantId} in the request URL does not match the tenant {token.TenantId} of the access token.",
                },
            }, GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
            return;
        }

        var now = (profile?.TimeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["@odata.context"] = $"https://manage.office.com/api/v1.0/{tenantId}/ServiceComms/$metadata#CurrentStatus",
            ["value"] = Workloads.Select(w => new
            {
                Id = w.Id,
                Workload = w.Id,
                StatusDisplayName = "Normal service",
                StatusTime = now,
                WorkloadDisplayName = w.Name,
                Status = "ServiceOperational",
                IncidentIds = Array.Empty<string>(),
                FeatureGroupStatusCollection = Array.Empty<object>(),
            }).ToArray(),
        }, GraphJson.SerializerOptions, "application/json; odata.metadata=minimal; charset=utf-8", context.RequestAborted);
    }
}
