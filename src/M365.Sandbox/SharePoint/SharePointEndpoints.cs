using M365.Sandbox.Graph;
using M365.Sandbox.Graph.Groups;
using M365.Sandbox.Hosting;
using M365.Sandbox.SharePoint.Csom;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace M365.Sandbox.SharePoint;

/// <summary>SharePoint Online on the tenant, -admin and -my hosts.</summary>
public static class SharePointEndpoints
{
    public static IServiceCollection AddSandboxSharePoint(this IServiceCollection services, SandboxOptions options)
    {
        services.TryAddSingleton(_ => new TenantProfile(options));
        services.TryAddSingleton<GroupStore>();
        services.TryAddSingleton(provider => new SiteStore(provider.GetRequiredService<TenantProfile>(), options.SiteProvisioningDelay));
        return services;
    }

    public static WebApplication MapSandboxSharePoint(this WebApplication app, SandboxHostNames hosts)
    {
        var tenant = app.MapGroup(string.Empty).RequireHost(hosts.SharePoint);
        SiteManagerEndpoints.Map(tenant);
        GroupSiteManagerEndpoints.Map(tenant);
        WebEndpoints.Map(tenant);
        SiteEndpoints.Map(tenant);

        var admin = app.MapGroup(string.Empty).RequireHost(hosts.SharePointAdmin);
        CsomEndpoints.Map(admin);
        TenantAdminEndpoints.Map(admin);
        WebEndpoints.Map(admin);
        SiteEndpoints.Map(admin);

        var my = app.MapGroup(string.Empty).RequireHost(hosts.SharePointMy);
        WebEndpoints.Map(my);
        SiteEndpoints.Map(my);
        return app;
    }
}
