using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph;

/// <summary>Microsoft Graph on graph.microsoft.com.</summary>
public static class GraphEndpoints
{
    public static IServiceCollection AddSandboxGraph(this IServiceCollection services, SandboxOptions options) => services;

    public static WebApplication MapSandboxGraph(this WebApplication app, SandboxHostNames hosts) => app;
}
