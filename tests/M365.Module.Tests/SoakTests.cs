using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Module.Tests;

/// <summary>
/// Long-running runbook conditions, reduced for the test command (set M365_SOAK_SCALE=full for the sizes):
/// two connections shared by many runspaces, a loop over several token lifetimes, and a tenant that goes away.
/// Every loop is bounded by a count and a deadline.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SoakTests
{
    private static readonly bool Full = string.Equals(Environment.GetEnvironmentVariable("M365_SOAK_SCALE"), "full", StringComparison.OrdinalIgnoreCase);
    private readonly SandboxFixture _fixture;

    public SoakTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private Dictionary<string, object?> Identities() => new()
    {
        ["appId"] = SandboxSeed.AutomationAppId.ToString(),
        ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
        ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
        ["credential"] = new PSCredential(_fixture.Sandbox.Seed.DefaultUser.UserPrincipalName, Secrets.Secure(_fixture.Sandbox.Seed.DefaultUser.Password!)),
    };

    [Fact]
    public async Task ParallelRunspacesOnTwoConnectionsNeverUseTheOtherConnectionsToken()
    {
        var runspaces = Full ? 32 : 8;
        var calls = Full ? 1000 : 40;
        using var owner = new PowerShellSession();
        var connections = owner.Run(
            "Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret -Name app -PassThru; Connect-M365 -Sandbox -Credential $credential -Name user -PassThru -WarningAction SilentlyContinue",
            Identities()).Output;
        Assert.Equal(2, connections.Count);
        var sessions = Enumerable.Range(0, runspaces).Select(_ => new PowerShellSession()).ToList();
        try
        {
            _fixture.Sandbox.ResetRequestLog();
            var tokenRequests = 0;
            var log = new List<M365.Sandbox.Control.RequestLogEntry>();

            // The sandbox keeps the last 10,000 requests: run in rounds that fit, reading its log after each.
            var rounds = Math.Max(1, (runspaces * calls + 7999) / 8000);
            for (var round = 0; round < rounds; round++)
            {
                var results = new ScriptResult?[runspaces];
                var threads = sessions.Select((s, i) => new Thread(() =>
                {
                    // Each connection calls its own path, so the sandbox log says who asked.
                    results[i] = s.Run(
                        "foreach ($n in 1..$calls) { if ($n % 2) { $null = Invoke-M365Request -Connection $app -Service Graph -Uri 'v1.0/servicePrincipals?$top=1' -ErrorAction Stop } else { $null = Invoke-M365Request -Connection $user -Service Graph -Uri 'v1.0/organization' -ErrorAction Stop } }",
                        new Dictionary<string, object?> { ["app"] = connections[0], ["user"] = connections[1], ["calls"] = calls / rounds });
                })).ToList();
                threads.ForEach(t => t.Start());
                Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromMinutes(Full ? 30 : 3)), "a runspace did not finish"));
                Assert.All(results, r => Assert.True(r is { Terminating: null, Errors.Count: 0 }, r?.DescribeErrors()));
                var entries = _fixture.Sandbox.GetRequestLog();
                _fixture.Sandbox.ResetRequestLog();
                tokenRequests += entries.Count(e => e.IsTokenRequest);
                log.AddRange(entries.Where(e => e.Path is "/v1.0/servicePrincipals" or "/v1.0/organization"));
            }

            Assert.Equal(runspaces * (calls / rounds) * rounds, log.Count);
            Assert.All(log, e => Assert.Equal(200, e.Status));
            Assert.All(log.Where(e => e.Path == "/v1.0/servicePrincipals"), e =>
                Assert.Equal((SandboxSeed.AutomationAppId.ToString(), "app"), (e.AppId, e.IdentityType)));
            Assert.All(log.Where(e => e.Path == "/v1.0/organization"), e =>
                Assert.Equal((SandboxSeed.PnpManagementShellAppId.ToString(), "user"), (e.AppId, e.IdentityType)));

            // Single flight held: each connection asked for its Graph token at most once.
            Assert.True(tokenRequests <= 2, $"{tokenRequests} token requests");
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData("app")]
    [InlineData("user")]
    public async Task ARunbookLoopOverThreeTokenLifetimesSeesNoExpiredTokenAndNoRefreshStorm(string identity)
    {
        var lifetime = TimeSpan.FromSeconds(Full ? 20 : 3);
        _fixture.Sandbox.SetTokenLifetimes(accessToken: lifetime);
        using var session = new PowerShellSession();
        var connect = identity == "app"
            ? "Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret"
            : "Connect-M365 -Sandbox -Credential $credential -WarningAction SilentlyContinue";
        session.RunOk(connect, Identities());
        _fixture.Sandbox.ResetRequestLog();

        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed < lifetime * 3)
        {
            var result = session.Run(identity == "app"
                ? "$null = Invoke-M365Request -Service Graph -Uri 'v1.0/servicePrincipals?$top=1' -ErrorAction Stop"
                : "$null = Invoke-M365Request -Service Graph -Uri v1.0/organization -ErrorAction Stop");
            Assert.True(result.Terminating is null && result.Errors.Count == 0, result.DescribeErrors());
            calls++;
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var log = _fixture.Sandbox.GetRequestLog();
        Assert.DoesNotContain(log, e => !e.IsTokenRequest && e.Status == 401);
        var tokenRequests = log.Count(e => e.IsTokenRequest);

        // Renewed at half-life (the lifetime is shorter than the 5-minute window): about two per lifetime, never per call.
        Assert.True(tokenRequests is >= 2 and <= 10, $"{tokenRequests} token requests over three lifetimes");
        Assert.True(calls > 2 * tokenRequests, $"{tokenRequests} token requests for {calls} calls");
        if (identity == "user")
        {
            Assert.All(log.Where(e => e.IsTokenRequest), e => Assert.Equal("refresh_token", e.GrantType));
        }
    }

    [Fact]
    public async Task ATenantThatGoesAwayGivesClearErrorsAndWorksAgainWhenItComesBack()
    {
        var state = Path.Combine(Path.GetTempPath(), "m365-soak-restart", Guid.NewGuid().ToString("N"));
        var sandbox = await SandboxFixture.StartAsync(state, interactiveApproval: false);
        var port = sandbox.Port;
        try
        {
            Environment.SetEnvironmentVariable("M365_SANDBOX", sandbox.DescriptorPath);
            using var session = new PowerShellSession();
            session.RunOk("$c = Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret -PassThru", Identities() is var v ? ReplaceTenant(v, sandbox) : null);
            session.RunOk("$null = Invoke-M365Request -Connection $c -Service Graph -Uri 'v1.0/servicePrincipals?$top=1'");

            await sandbox.DisposeAsync();
            var watch = Stopwatch.StartNew();
            var down = session.Run("Invoke-M365Request -Connection $c -Service Graph -Uri 'v1.0/servicePrincipals?$top=1' -Timeout 20");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the call took {watch.Elapsed} while the tenant was down");
            var error = Assert.Single(down.Errors.Concat(down.Terminating is IContainsErrorRecord t ? new[] { t.ErrorRecord } : Array.Empty<ErrorRecord>()));
            Assert.Contains(error.FullyQualifiedErrorId.Split(',')[0], new[] { "ServiceUnreachable", "RequestTimedOut" });

            sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = port, StateDirectory = state, ServicePrincipalCount = 50 });
            session.RunOk("$null = Invoke-M365Request -Connection $c -Service Graph -Uri 'v1.0/servicePrincipals?$top=1'");
        }
        finally
        {
            await sandbox.DisposeAsync();
            _fixture.Reset();
        }
    }

    private static Dictionary<string, object?> ReplaceTenant(Dictionary<string, object?> variables, SandboxHost sandbox)
    {
        variables["tenant"] = sandbox.TenantId.ToString();
        return variables;
    }
}
