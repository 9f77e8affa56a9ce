using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Module.Tests;

/// <summary>A sandbox tenant with 50,000 service principals, for the streamed list of Get-M365AadSp and Invoke-M365Request -All.</summary>
public sealed class LargeTenantFixture : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "m365-module-tests", Guid.NewGuid().ToString("N"));

    public SandboxHost Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = _state, ServicePrincipalCount = 50_000, DeviceCodeIntervalSeconds = 1 });

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[Collection(SandboxCollection.Name)]
public sealed class ServicePrincipalListingTests : IClassFixture<LargeTenantFixture>
{
    private readonly SandboxFixture _shared;
    private readonly LargeTenantFixture _large;

    public ServicePrincipalListingTests(SandboxFixture shared, LargeTenantFixture large)
    {
        _shared = shared;
        _large = large;
        _shared.Reset();
    }

    private int ListRequests() => _large.Sandbox.GetRequestLog().Count(e => e.Path == "/v1.0/servicePrincipals");

    /// <summary>Runs <paramref name="test"/> with a session signed in (app-only) to the large tenant; the shared sandbox is put back after.</summary>
    private void WithSession(Action<PowerShellSession> test)
    {
        Environment.SetEnvironmentVariable("M365_SANDBOX", _large.Sandbox.DescriptorPath);
        try
        {
            using var session = new PowerShellSession();
            session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret; $null = Get-M365AccessToken", new Dictionary<string, object?>
            {
                ["appId"] = SandboxSeed.AutomationAppId.ToString(),
                ["tenant"] = _large.Sandbox.TenantId.ToString(),
                ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
                ["requests"] = new Func<int>(ListRequests),
            });
            _large.Sandbox.ResetRequestLog();
            test(session);
        }
        finally
        {
            _large.Sandbox.ResetRequestLog();
            _large.Sandbox.ClearFaults();
            _shared.Reset();
        }
    }

    [Fact]
    public void TheFirstObjectIsWrittenBeforePageTwoIsRequestedAndFirstFiveSendsOneRequest()
    {
        WithSession(session =>
        {
            // The probe runs downstream when the first object arrives: by then exactly one page has been asked for.
            var first = session.RunOk("Get-M365AadSp | ForEach-Object -Begin { $seen = 0 } -Process { if ($seen++ -eq 0) { $requests.Invoke() } } | Select-Object -First 1");
            Assert.Equal(1, Convert.ToInt32(first.Output.Single().BaseObject));

            _large.Sandbox.ResetRequestLog();
            var five = session.RunOk("Get-M365AadSp | Select-Object -First 5");
            Assert.Equal(5, five.Output.Count);
            Assert.Equal(1, ListRequests());
            Assert.Contains("$top=999", Uri.UnescapeDataString(_large.Sandbox.GetRequestLog().Single(e => e.Path == "/v1.0/servicePrincipals").Query), StringComparison.Ordinal);

            // The whole first page, not one more: still one request (nothing is read ahead within the first page).
            _large.Sandbox.ResetRequestLog();
            var page = session.RunOk("(Get-M365AadSp -Property id | Select-Object -First 999 | Measure-Object).Count");
            Assert.Equal(999, Convert.ToInt32(page.Output.Single().BaseObject));
            Assert.Equal(1, ListRequests());

            _large.Sandbox.ResetRequestLog();
            var raw = session.RunOk("Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=999' -All | Select-Object -First 5");
            Assert.Equal(5, raw.Output.Count);
            Assert.Equal(1, ListRequests());

            // Past the first page, the next is read ahead; a listing stopped in page 2 cancels that read and ends at once.
            _large.Sandbox.ResetRequestLog();
            var second = session.RunOk("(Get-M365AadSp -Property id | Select-Object -First 1000 | Measure-Object).Count");
            Assert.Equal(1000, Convert.ToInt32(second.Output.Single().BaseObject));
            Assert.InRange(ListRequests(), 2, 3);
        });
    }

    [Fact]
    public void ListingFiftyThousandWritesEveryOneWithOneRequestPerPage()
    {
        WithSession(session =>
        {
            var count = Convert.ToInt32(session.RunOk("(Get-M365AadSp -Property id, appId, displayName | Measure-Object).Count").Output.Single().BaseObject);
            Assert.True(count > 50_000, $"listed {count}");
            Assert.Equal((count + 998) / 999, ListRequests());
        });
    }
}
