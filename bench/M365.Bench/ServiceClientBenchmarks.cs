using System.Security;
using BenchmarkDotNet.Attributes;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Services.Graph;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using CoreSandboxDescriptor = M365.Core.Http.SandboxDescriptor;

namespace M365.Bench;

/// <summary>A sandbox tenant and an app-only connection to it with the Graph token cached, as Get-M365AadSp runs it.</summary>
public abstract class SandboxConnectionBenchmark
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "m365-bench-" + Guid.NewGuid().ToString("N"));
    private HttpTransport _transport = null!;

    protected SandboxHost Host { get; private set; } = null!;

    protected ServicePrincipalClient Client { get; private set; } = null!;

    protected async Task StartAsync(int servicePrincipals)
    {
        Host = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = _state, ServicePrincipalCount = servicePrincipals });
        _transport = HttpTransport.CreateForSandbox(CoreSandboxDescriptor.Load(Host.DescriptorPath));
        var secret = new SecureString();
        foreach (var c in SandboxSeed.AutomationAppSecret)
        {
            secret.AppendChar(c);
        }

        var connection = await new ConnectionFactory(_transport).ConnectAsync(new SignInOptions
        {
            AuthenticationType = AuthenticationType.ClientSecret,
            AppId = SandboxSeed.AutomationAppId.ToString(),
            ClientSecret = secret,
            Tenant = Host.TenantId.ToString(),
        });
        Client = new ServicePrincipalClient(connection);
        await Client.GetByAppIdAsync(Guid.Parse("00000003-0000-0000-c000-000000000000"));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _transport.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}

/// <summary>
/// 100 lookups by app id (Get-M365AadSp -AppId … -NoBatch against piped input): one request each, or 5 Graph batches;
/// with 0 or 50 ms of latency injected on every Graph request.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ServicePrincipalLookupBenchmarks : SandboxConnectionBenchmark
{
    private ServicePrincipalLookup[] _lookups = null!;

    [Params(0, 50)]
    public int GraphLatencyMs { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync(1000);
        var ids = new List<ServicePrincipalLookup>();
        await foreach (var sp in Client.ListAsync(properties: new[] { "appId" }))
        {
            ids.Add(ServicePrincipalLookup.ByAppId(sp.AppId!.Value));
            if (ids.Count == 100)
            {
                break;
            }
        }

        _lookups = ids.ToArray();
        if (GraphLatencyMs > 0)
        {
            Host.InjectFault(new FaultRule { Host = "graph.microsoft.com", Kind = FaultKind.Latency, LatencyMilliseconds = GraphLatencyMs, Scope = FaultScope.Direct });
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<int> OneByOne()
    {
        var found = 0;
        foreach (var lookup in _lookups)
        {
            found += (await Client.GetAsync(lookup)).AppId is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark]
    public async Task<int> Batched()
    {
        var found = 0;
        await foreach (var result in Client.LookupAllAsync(_lookups))
        {
            found += result.IsSuccess ? 1 : 0;
        }

        return found;
    }
}

/// <summary>Streams every service principal of the tenant ($top=999, the list Get-M365AadSp writes); objects/s = N / mean.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ServicePrincipalListingBenchmarks : SandboxConnectionBenchmark
{
    [Params(5_000, 50_000, 100_000)]
    public int ServicePrincipals { get; set; }

    [GlobalSetup]
    public Task SetupAsync() => StartAsync(ServicePrincipals);

    [Benchmark]
    public async Task<int> ListAll()
    {
        var count = 0;
        await foreach (var sp in Client.ListAsync())
        {
            count += sp.Id == Guid.Empty ? 0 : 1;
        }

        return count;
    }
}
