using System.Net;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;
using M365.Sandbox.Federation;
using M365.Sandbox.Graph;
using M365.Sandbox.Identity;
using M365.Sandbox.Services;
using M365.Sandbox.SharePoint;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace M365.Sandbox.Hosting;

/// <summary>Composes the web application: one HTTPS listener on loopback, services routed by host name.</summary>
internal static class SandboxApplication
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Build(SandboxOptions options, SandboxCertificates certificates, SandboxSigningKey signingKey, SandboxSeed seed)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxApplication).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = Array.Empty<string>(),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificates.Server);
            });
        });

        var hosts = new SandboxHostNames(options.TenantName);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(hosts);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(certificates);
        services.AddSingleton(signingKey);
        services.AddSingleton(seed);
        services.AddSingleton(sp => new TenantDirectory(seed, hosts, options.StateDirectory, options.TimeProvider));
        services.AddSingleton(sp => sp.GetRequiredService<TenantDirectory>().Applications);
        services.AddSingleton(sp => sp.GetRequiredService<TenantDirectory>().Grants);
        services.AddSingleton<TokenLifetimes>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<CaeChallenges>();
        services.AddSingleton<ManagedIdentityTokenLedger>();
        services.AddSingleton<IResourceAuthorizer, ResourceAuthorizer>();
        services.AddSingleton<DeviceCodeStore>();
        services.AddSingleton<AuthorizationCodeStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<ManagedIdentitySecret>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<ThrottleBudgets>();
        services.AddSingleton<FederatedIdentityCredentialStore>();
        services.AddSingleton<FederationSources>();
        services.AddSingleton<FederatedAssertionValidator>();
        services.AddSingleton<KubernetesTokenFile>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesTokenFile>());
        services.AddSandboxGraph(options);
        services.AddSandboxSharePoint(options);

        var app = builder.Build();
        app.UseMiddleware<ErrorShapeMiddleware>();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<FaultInjectionMiddleware>();
        app.UseMiddleware<ThrottleMiddleware>();

        app.MapSandboxIdentity(hosts);
        app.MapSandboxManagedIdentity();
        app.MapSandboxControl();
        app.MapSandboxFederationControl();
        app.MapSandboxOidcIssuers();
        app.MapSandboxGraph(hosts);
        app.MapSandboxSharePoint(hosts);
        app.MapSandboxOtherServices(hosts);
        // "{**path}", not the default "{*path:nonfile}": a UPN or a .aspx page looks like a file name and must get the
        // service's error body too, not a bare 404.
        app.MapFallback("{**path}", (HttpContext context) => ServiceErrors.WriteAsync(
            context, 404, "NotFound", $"No resource at {context.Request.Method} {context.Request.Path} on {context.Request.Host.Host}.", hosts));
        return app;
    }
}
