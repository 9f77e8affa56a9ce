using M365.Sandbox.Directory;
using M365.Sandbox.Graph.Applications;
using M365.Sandbox.Graph.Batch;
using M365.Sandbox.Graph.Groups;
using M365.Sandbox.Graph.ServicePrincipals;
using M365.Sandbox.Graph.Users;
using M365.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace M365.Sandbox.Graph;

/// <summary>Microsoft Graph on graph.microsoft.com.</summary>
public static class GraphEndpoints
{
    private static readonly string[] Versions = { "v1.0", "beta" };

    public static IServiceCollection AddSandboxGraph(this IServiceCollection services, SandboxOptions options)
    {
        services.TryAddSingleton(_ => new TenantProfile(options));
        services.TryAddSingleton(provider => new ServicePrincipalCatalog(
            options.ServicePrincipalCount, options.EffectiveTenantId, SeededServicePrincipals.From(provider.GetService<SandboxSeed>())));
        services.TryAddSingleton<GroupStore>();
        services.TryAddSingleton<BatchItemMarker>();
        services.TryAddSingleton<GraphBatchExecutor>();
        return services;
    }

    public static WebApplication MapSandboxGraph(this WebApplication app, SandboxHostNames hosts)
    {
        var graph = app.MapGroup(string.Empty).RequireHost(SandboxHostNames.Graph);
        foreach (var version in Versions)
        {
            ServicePrincipalEndpoints.Map(graph, version);
            ServicePrincipalWriteEndpoints.Map(graph, version);
            Grants.PermissionGrantEndpoints.Map(graph, version);
            Grants.AppRoleAssignmentEndpoints.Map(graph, version);
            ApplicationEndpoints.Map(graph, version);
            SiteRootEndpoints.Map(graph, version);
            MeEndpoints.Map(graph, version);
            UserEndpoints.Map(graph, version);
            OrganizationEndpoints.Map(graph, version);
            GroupEndpoints.Map(graph, version);
            GraphBatchEndpoints.Map(graph, version);
        }

        return app;
    }
}
