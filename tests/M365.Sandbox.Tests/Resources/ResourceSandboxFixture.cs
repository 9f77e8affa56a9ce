using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using M365.Sandbox.SharePoint;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace M365.Sandbox.Tests.Resources;

/// <summary>
/// One running sandbox (1,000 generated service principals, 30 s site provisioning, a fake clock) shared by the
/// resource tests, with helpers that mint tokens through the host's issuer and call real URLs through the pinned client.
/// </summary>
public sealed class ResourceSandboxFixture : IAsyncLifetime
{
    public static readonly TimeSpan ProvisioningDelay = TimeSpan.FromSeconds(30);

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "m365-resources-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public SandboxHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public SandboxSeed Seed => Host.Seed;

    public string TenantHost => Host.Hosts.SharePoint;

    public string AdminHost => Host.Hosts.SharePointAdmin;

    public SiteStore Sites => Host.Services.GetRequiredService<SiteStore>();

    public async Task InitializeAsync()
    {
        Host = await SandboxHost.StartAsync(new SandboxOptions
        {
            Port = 0,
            TenantName = "contoso",
            StateDirectory = _stateDirectory,
            ServicePrincipalCount = 1000,
            SiteProvisioningDelay = ProvisioningDelay,
            TimeProvider = Clock,
        });
        Http = Host.CreatePinnedHttpClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        System.IO.Directory.Delete(_stateDirectory, recursive: true);
    }

    public string UserToken(string audience, params string[] scopes) =>
        Host.Tokens.IssueDelegated(Seed.Admin, Seed.PnpManagementShell, audience, scopes, 0).Token;

    public string AppToken(string audience, params string[] roles)
    {
        var app = Seed.AutomationApp;
        return Host.Tokens.IssueAppOnly(app.AppId, app.DisplayName, app.ServicePrincipalId, audience, roles, 1).Token;
    }

    public Task<HttpResponseMessage> GetAsync(string url, string token, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, url, token, null, configure);

    public Task<HttpResponseMessage> PostJsonAsync(string url, string token, object body) =>
        SendAsync(HttpMethod.Post, url, token, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), null);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, HttpContent? content, Action<HttpRequestMessage>? configure)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json;odata=nometadata");
        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
