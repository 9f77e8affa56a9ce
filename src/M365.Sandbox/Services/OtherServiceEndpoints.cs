using M365.Sandbox.Hosting;

namespace M365.Sandbox.Services;

/// <summary>Yammer, the Office 365 Management APIs and Azure Service Management.</summary>
public static class OtherServiceEndpoints
{
    public static WebApplication MapSandboxOtherServices(this WebApplication app, SandboxHostNames hosts)
    {
        YammerEndpoints.Map(app.MapGroup(string.Empty).RequireHost(SandboxHostNames.Yammer, SandboxHostNames.YammerApi));
        ServiceCommunicationsEndpoints.Map(app.MapGroup(string.Empty).RequireHost(SandboxHostNames.Management));
        AzureSubscriptionEndpoints.Map(app.MapGroup(string.Empty).RequireHost(SandboxHostNames.AzureManagement));
        return app;
    }
}
