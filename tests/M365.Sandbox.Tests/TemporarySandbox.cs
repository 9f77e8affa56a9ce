using System.Net.Http.Json;
using System.Text.Json;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Tests;

/// <summary>A sandbox on port 0 with its own temporary state folder, removed on dispose.</summary>
public sealed class TemporarySandbox : IAsyncDisposable
{
    private TemporarySandbox(SandboxHost host, string stateDirectory)
    {
        Host = host;
        StateDirectory = stateDirectory;
        Http = host.CreatePinnedHttpClient();
    }

    public SandboxHost Host { get; }

    public string StateDirectory { get; }

    public HttpClient Http { get; }

    public string Token => $"https://login.microsoftonline.com/{Host.TenantId}/oauth2/v2.0/token";

    public static async Task<TemporarySandbox> StartAsync(Action<SandboxOptions>? configure = null, string? stateDirectory = null)
    {
        stateDirectory ??= Path.Combine(Path.GetTempPath(), "m365-sandbox-tests", Guid.NewGuid().ToString("N"));
        var options = new SandboxOptions
        {
            Port = 0,
            StateDirectory = stateDirectory,
            DeviceCodeIntervalSeconds = 1,
            ServicePrincipalCount = 10,
        };
        configure?.Invoke(options);
        return new TemporarySandbox(await SandboxHost.StartAsync(options), stateDirectory);
    }

    public Task<HttpResponseMessage> PostFormAsync(string url, params (string Name, string Value)[] fields) =>
        Http.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    /// <summary>The claims of a JWT, for assertions on issued tokens.</summary>
    public static JsonElement Claims(string token) =>
        JsonDocument.Parse(JsonWebToken.TryParse(token)!.Payload.ToJsonString()).RootElement;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
