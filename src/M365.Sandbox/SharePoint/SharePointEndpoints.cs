using M365.Sandbox.Hosting;

namespace M365.Sandbox.SharePoint;

/// <summary>SharePoint Online on the tenant, -admin and -my hosts.</summary>
public static class SharePointEndpoints
{
    public static IServiceCollection AddSandboxSharePoint(this IServiceCollection services, SandboxOptions options) => services;

    public static WebApplication MapSandboxSharePoint(this WebApplication app, SandboxHostNames hosts) => app;
}
