using System.Net.Http.Json;
using System.Text.Json.Nodes;
using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using Microsoft.Extensions.Time.Testing;
using CoreSandboxDescriptor = M365.Core.Http.SandboxDescriptor;

namespace M365.Core.Tests.Integration;

/// <summary>
/// The compressed long run: OIDC tokens of 60 seconds, access tokens of 20 seconds, and three hours of requests to Graph
/// and SharePoint on one federated connection, with the sandbox and the module sharing one fake clock so the three hours
/// pass in seconds. Every request must succeed, and the token service must have minted a new assertion for every token
/// request (a 60-second token never has more than a minute left, so none is reused). Bounded by its step count and a
/// real-time deadline.
/// </summary>
public sealed class FederatedLongRunTests : IAsyncLifetime
{
    private static readonly TimeSpan RunLength = TimeSpan.FromHours(3);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private readonly string _state = Path.Combine(Path.GetTempPath(), "m365-core-federation-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SandboxHost _sandbox = null!;
    private HttpClient _control = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = _state, ServicePrincipalCount = 20, TimeProvider = _clock });
        _control = _sandbox.CreatePinnedHttpClient();
    }

    public async Task DisposeAsync()
    {
        _control.Dispose();
        await _sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData("github")]
    [InlineData("azureDevOps")]
    [InlineData("kubernetes")]
    public async Task ThreeHoursOfRequestsOutliveSixtySecondAssertionsAndTwentySecondTokens(string source)
    {
        (await _control.PutAsJsonAsync(_sandbox.ControlUrl + "/lifetimes", new { accessTokenSeconds = 20 })).EnsureSuccessStatusCode();
        (await _control.PutAsJsonAsync($"{_sandbox.ControlUrl}/federation/{source}", new { lifetimeSeconds = 60 })).EnsureSuccessStatusCode();
        JsonObject environment = (await State())[source]!.AsObject();
        var variables = environment.Where(p => p.Value is JsonValue v && v.TryGetValue(out string? _)).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using HttpTransport transport = HttpTransport.CreateForSandbox(CoreSandboxDescriptor.Load(_sandbox.DescriptorPath));
        var options = new SignInOptions
        {
            AuthenticationType = AuthenticationType.FederatedIdentity,
            AppId = SandboxSeed.PipelinesAppId.ToString(),
            Tenant = _sandbox.TenantId.ToString(),
            EnvironmentVariables = name => variables.TryGetValue(name, out string? value) ? value : null,
        };

        // MSAL dates a token by the real clock; start the fake one at real time so that, running ahead from here, the
        // module never holds a token it thinks valid and the sandbox thinks expired.
        _clock.SetUtcNow(DateTimeOffset.UtcNow);
        Connection connection = await new ConnectionFactory(transport, _clock).ConnectAsync(options, deadline.Token);
        long issuedBefore = await Issued(source);
        _sandbox.ResetRequestLog();
        var sharePoint = new Uri($"https://{_sandbox.Hosts.TenantName}.sharepoint.com/_api/web");
        var graph = new Uri("https://graph.microsoft.com/v1.0/servicePrincipals?$top=1");
        var failures = new List<string>();
        int steps = (int)(RunLength.Ticks / Step.Ticks);
        for (int i = 0; i < steps; i++)
        {
            _clock.Advance(Step);
            foreach (Uri url in new[] { graph, sharePoint })
            {
                try
                {
                    (await connection.Requests.GetJsonAsync(url, deadline.Token)).Dispose();
                }
                catch (M365Exception ex)
                {
                    failures.Add($"{_clock.GetUtcNow():HH:mm:ss} {url.Host}: {ex.ErrorId} {ex.Message}");
                }
            }
        }

        var log = _sandbox.GetRequestLog();
        int tokenRequests = log.Count(e => e.IsTokenRequest && e.Status == 200);
        var refused = log.Where(e => e.Status >= 400).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Method} {e.Host}{e.Path} {e.Status} {e.GrantType} {e.IdentityType} {e.FaultId}").ToList();
        long issued = await Issued(source) - issuedBefore;
        var assertions = ((ConfidentialClientFlow)connection.Flow).Assertions!;

        Assert.Empty(failures);
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        // Two resources renewed at least every 20 seconds for three hours.
        Assert.InRange(tokenRequests, 2 * (int)(RunLength.TotalSeconds / 20) / 2, steps * 2 + 2);
        if (source == "kubernetes")
        {
            // The file is rewritten by the sandbox (every 30 s of a 60-second token); each token request read it again.
            Assert.InRange(issued, (long)(RunLength.TotalSeconds / 60), long.MaxValue);
            Assert.True(assertions.FetchCount >= tokenRequests, $"{assertions.FetchCount} reads for {tokenRequests} token requests");
        }
        else
        {
            Assert.Equal(tokenRequests, issued);
        }
    }

    private async Task<JsonObject> State() => JsonNode.Parse(await _control.GetStringAsync(_sandbox.ControlUrl + "/federation"))!.AsObject();

    private async Task<long> Issued(string source) => (await State())[source]!["issued"]!.GetValue<long>();
}
