using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>Disconnect means disconnected: a closed connection refuses everything, whatever the sign-in and whoever holds it.</summary>
[Collection(SandboxCollection.Name)]
public sealed class DisconnectTests
{
    private readonly SandboxFixture _fixture;

    public DisconnectTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    public static TheoryData<string> SignIns => new()
    {
        "Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret -PassThru",
        "Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -CertificatePath $pfx -PassThru",
        "Connect-M365 -Sandbox -ManagedIdentity -PassThru",
        "Connect-M365 -Sandbox -AccessToken $token -PassThru",
        "Connect-M365 -Sandbox -Credential $credential -PassThru -WarningAction SilentlyContinue",
        "Connect-M365 -Sandbox -PassThru",
    };

    [Theory]
    [MemberData(nameof(SignIns))]
    public void ADisconnectedConnectionRefusesEveryRequestAndSendsNothing(string connect)
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _fixture.Sandbox.ManagedIdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _fixture.Sandbox.ManagedIdentityHeader);
        using var session = new PowerShellSession();
        var variables = Variables();
        session.RunOk("$c = " + connect, variables);
        session.RunOk("$null = Get-M365AccessToken -Connection $c -Resource Graph; Disconnect-M365 -Connection $c");
        _fixture.Sandbox.ResetRequestLog();

        var forced = session.Run("Get-M365AccessToken -Connection $c -Resource Graph -Force");
        var cached = session.Run("Get-M365AccessToken -Connection $c -Resource Graph, SharePoint");
        using var other = new PowerShellSession();
        var elsewhere = other.Run("Get-M365AccessToken -Connection $c", new Dictionary<string, object?> { ["c"] = session.RunOk("$c").Output.Single() });

        foreach (var result in new[] { forced, cached, elsewhere })
        {
            var error = result.SingleError("ConnectionClosed", ErrorCategory.InvalidOperation);
            Assert.Contains("Connect-M365", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(result.Output);
        }

        Assert.Empty(_fixture.Sandbox.GetRequestLog());
        Assert.Equal(0, session.RunOk("@($c.Resources).Count").Output.Single().BaseObject);
    }

    [Fact]
    public async Task RunspacesRacingDisconnectNeverRefillTheConnection()
    {
        // Twenty runs of 12 runspaces asking for tokens in a loop while the owner disconnects: afterwards no call gets a token.
        var admin = _fixture.Sandbox.Seed.DefaultUser;
        var credential = new Dictionary<string, object?> { ["credential"] = new PSCredential(admin.UserPrincipalName, Secrets.Secure(admin.Password!)) };
        var sessions = Enumerable.Range(0, 12).Select(_ => new PowerShellSession()).ToList();
        try
        {
            for (var run = 0; run < 20; run++)
            {
                using var owner = new PowerShellSession();
                // A delegated sign-in (user and password: as device code, it leaves an account in MSAL's cache to refill from).
                var connection = owner.RunOk("Connect-M365 -Sandbox -Credential $credential -PassThru -WarningAction SilentlyContinue", credential).Output.Single();
                var variables = new Dictionary<string, object?> { ["c"] = connection };
                using var start = new Barrier(sessions.Count + 1);
                var loops = sessions.Select(s => Task.Run(() =>
                {
                    start.SignalAndWait();
                    return s.Run(
                        "foreach ($i in 1..500) { try { $null = Get-M365AccessToken -Connection $c -Resource Graph, SharePoint -Force:($i % 4 -eq 0) -ErrorAction Stop } catch { if ($_.FullyQualifiedErrorId -like 'ConnectionClosed,*') { break } else { throw } } }",
                        variables);
                })).ToList();
                start.SignalAndWait();
                owner.RunOk("Disconnect-M365 -Connection $c", variables);
                var results = await Task.WhenAll(loops);

                Assert.All(results, r => Assert.True(r.Terminating is null && r.Errors.Count == 0, $"run {run}: {r.DescribeErrors()}"));
                Assert.Equal(0, owner.RunOk("@($c.Resources).Count", variables).Output.Single().BaseObject);

                // A token request a loop started just before the close may still reach the tenant (it fills no slot):
                // let the tenant go quiet, so the log below holds only what the call after the disconnect sends.
                await WaitUntilTheTenantIsQuietAsync();
                _fixture.Sandbox.ResetRequestLog();
                var after = sessions[run % sessions.Count].Run("Get-M365AccessToken -Connection $c -Resource Graph", variables);
                after.SingleError("ConnectionClosed", ErrorCategory.InvalidOperation);
                Assert.Empty(_fixture.Sandbox.GetRequestLog());
            }
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Waits (at most 10 s) until the sandbox has logged no new request for half a second.</summary>
    private async Task WaitUntilTheTenantIsQuietAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var last = _fixture.Sandbox.GetRequestLog().LastOrDefault();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var now = _fixture.Sandbox.GetRequestLog().LastOrDefault();
            if (ReferenceEquals(now, last))
            {
                return;
            }

            last = now;
        }
    }

    [Theory]
    [InlineData("([timespan]::MaxValue)")]
    [InlineData("(New-TimeSpan -Seconds -1)")]
    [InlineData("(New-TimeSpan -Hours 2)")]
    public void RefreshAheadOutsideZeroToOneHourIsRefusedAtBinding(string value)
    {
        using var session = new PowerShellSession();
        var result = session.Run($"Connect-M365 -Sandbox -RefreshAhead {value}");
        var error = result.SingleError("ParameterArgumentValidationError", ErrorCategory.InvalidData);
        Assert.Contains("from 0 seconds to 60 minutes", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public void TimeoutBoundsTheWholeCallAndDiscoveryHasItsOwnBudget()
    {
        using var session = new PowerShellSession();
        session.RunOk("$c = Connect-M365 -Sandbox -PassThru; $quick = Connect-M365 -Sandbox -Name quick -DiscoveryTimeout 1 -PassThru");
        _fixture.Sandbox.InjectFault(new FaultRule { Kind = FaultKind.Latency, Host = "graph.microsoft.com", Path = "/v1.0/sites/root", LatencyMilliseconds = 20_000 });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var timedOut = session.Run("Get-M365AccessToken -Connection $c -Resource SharePoint -Timeout 2");
        var afterTimeout = watch.Elapsed;
        var timeoutError = timedOut.SingleError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("-Timeout of 2 seconds", timeoutError.Exception.Message, StringComparison.Ordinal);
        Assert.True(afterTimeout < TimeSpan.FromSeconds(15), $"took {afterTimeout}");

        watch.Restart();
        var budget = session.Run("Get-M365AccessToken -Connection quick -Resource SharePoint");
        var afterBudget = watch.Elapsed;
        var budgetError = budget.SingleError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("took longer than 1 second", budgetError.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("SharePoint", budgetError.TargetObject);
        Assert.True(afterBudget < TimeSpan.FromSeconds(15), $"took {afterBudget}");
    }

    [Fact]
    public void ATimeoutWhileRetryingSaysWhatTheLastAttemptMet()
    {
        using var session = new PowerShellSession();
        session.RunOk("$c = Connect-M365 -Sandbox -PassThru; $null = Invoke-M365Request -Connection $c -Service Graph -Uri v1.0/organization");
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/organization", Status = 503, RetryAfterSeconds = 30 });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var timedOut = session.Run("Invoke-M365Request -Connection $c -Service Graph -Uri v1.0/organization -Timeout 2");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");

        // Not a bare timeout: the error says the call was waiting out a 503, and what to do about both.
        var error = timedOut.SingleError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("-Timeout of 2 seconds. It was retrying: GET https://graph.microsoft.com/v1.0/organization failed with 503 ServiceUnavailable", error.Exception.Message, StringComparison.Ordinal);
        Assert.StartsWith("Raise -Timeout, or try again later. The service is busy or down.", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    private Dictionary<string, object?> Variables()
    {
        using var app = new PowerShellSession();
        var token = app.RunOk(
            "Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret; (Get-M365AccessToken).Token",
            new Dictionary<string, object?> { ["appId"] = SandboxSeed.AutomationAppId.ToString(), ["tenant"] = _fixture.Sandbox.TenantId.ToString(), ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret) })
            .Output.Single().ToString();
        var admin = _fixture.Sandbox.Seed.DefaultUser;
        return new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = _fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
            ["pfx"] = _fixture.Sandbox.Seed.AutomationApp.CertificatePath,
            ["token"] = token,
            ["credential"] = new PSCredential(admin.UserPrincipalName, Secrets.Secure(admin.Password!)),
        };
    }
}
