using M365.Sandbox.Hosting;

namespace M365.Sandbox.Services;

/// <summary>Yammer, the Office 365 Management APIs and Azure Service Management.</summary>
public static class OtherServiceEndpoints
{
    public static WebApplication MapSandboxOtherServices(this WebApplication app, SandboxHostNames hosts) => app;
}
