using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Bench;

/// <summary>
/// One $top=999 page of service principals end to end: HTTPS through the pinned loopback client, token validation,
/// routing by Host, serialization and the client reading the whole body. SP/s = 999 / mean time.
/// </summary>
[MemoryDiagnoser]
public class SandboxPageBenchmarks
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "m365-bench-" + Guid.NewGuid().ToString("N"));
    private SandboxHost _host = null!;
    private HttpClient _http = null!;
    private string _token = null!;
    private string _deepPageUrl = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = _stateDirectory, ServicePrincipalCount = 100_000 });
        _http = _host.CreatePinnedHttpClient();
        var app = _host.Seed.AutomationApp;
        _token = _host.Tokens.IssueAppOnly(app.AppId, app.DisplayName, app.ServicePrincipalId, "https://graph.microsoft.com", new[] { "Application.Read.All" }, 1).Token;

        // Walk to a page deep in the listing once, so the measured request seeks with a real skip token.
        var url = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=999";
        for (var i = 0; i < 50; i++)
        {
            using var response = await SendAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            url = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("@odata.nextLink").GetString()!;
        }

        _deepPageUrl = url;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        System.IO.Directory.Delete(_stateDirectory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = ServicePrincipalPageBenchmarks.PageSize)]
    public async Task<long> HttpPage()
    {
        using var response = await SendAsync(_deepPageUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return bytes.LongLength;
    }

    private async Task<HttpResponseMessage> SendAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return response;
    }
}
