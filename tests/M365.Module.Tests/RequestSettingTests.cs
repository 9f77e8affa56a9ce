using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;

namespace M365.Module.Tests;

/// <summary>Set-M365RequestSetting and Get-M365RequestSetting: session and connection scopes, shown by Get-M365Connection, used by every service cmdlet.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RequestSettingTests
{
    private readonly SandboxFixture _fixture;

    public RequestSettingTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private int Attempts503(string path) => _fixture.Sandbox.GetRequestLog().Count(e => e.Path == path && e.Status == 503);

    private void Unavailable(string path) =>
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = path, Kind = FaultKind.Status, Status = 503, Times = 50 });

    [Fact]
    public void TheDefaultsShowUntilSetAndTheSessionSettingsReachConnectionsMadeBeforeAndAfter()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        var before = session.RunOk("Get-M365RequestSetting").Output.Single();
        session.RunOk("Set-M365RequestSetting -MaxRetry 1 -RetryDelay 0.01");
        var after = session.RunOk("Get-M365RequestSetting; (Get-M365Connection).RequestSettings; Get-M365Connection | Format-List | Out-String").Output;

        Assert.Equal(("Session", 3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(100), "Default"), (before.Str("Scope"), (int)before.Prop("MaxRetry")!, (TimeSpan)before.Prop("RetryDelay")!, (TimeSpan)before.Prop("RequestTimeout")!, before.Str("Source")));
        Assert.Equal(1, (int)after[0].Prop("MaxRetry")!);
        Assert.Equal("MaxRetry: Session; RetryDelay: Session; RequestTimeout: Default", after[1].Str("Source"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), (TimeSpan)after[1].Prop("RetryDelay")!);
        Assert.Contains("RequestSettings  : MaxRetry 1, RetryDelay 0.01 s, RequestTimeout 100 s", after[2].ToString(), StringComparison.Ordinal);

        Unavailable("/v1.0/servicePrincipals");
        var failed = session.Run("Get-M365AadSp -Property id | Select-Object -First 1");
        failed.SingleError("ServiceUnavailable", ErrorCategory.ResourceUnavailable);
        Assert.Equal(2, Attempts503("/v1.0/servicePrincipals"));
    }

    [Fact]
    public void AConnectionsOwnSettingsOverrideTheSessionsForItAloneAndResetGoesBack()
    {
        using var session = SignedInSessions.AppOnly(_fixture, "$a = Get-M365Connection; $b = Connect-M365 -Sandbox -Name second -AppId $appId -Tenant $tenant -ClientSecret $secret -PassThru");
        session.RunOk("Set-M365RequestSetting -MaxRetry 0; Set-M365RequestSetting -Connection $b -MaxRetry 2 -RetryDelay 0.01 -PassThru | Out-Null");
        Unavailable("/v1.0/servicePrincipals");

        session.Run("Invoke-M365Request -Connection $a -Service Graph 'v1.0/servicePrincipals?$top=1'");
        var afterA = Attempts503("/v1.0/servicePrincipals");
        session.Run("Invoke-M365Request -Connection $b -Service Graph 'v1.0/servicePrincipals?$top=1'");
        var afterB = Attempts503("/v1.0/servicePrincipals") - afterA;
        var source = session.RunOk("(Get-M365RequestSetting -Connection second).Source; Set-M365RequestSetting -Connection $b -Reset; (Get-M365RequestSetting -Connection $b).MaxRetry").Output.Select(o => o.ToString()).ToList();

        Assert.Equal(1, afterA);
        Assert.Equal(3, afterB);
        Assert.Equal(new[] { "MaxRetry: Connection; RetryDelay: Connection; RequestTimeout: Default", "0" }, source);
    }

    [Fact]
    public void WhatIfChangesNothingAndAnUnknownConnectionNameIsConnectionNameNotFound()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        session.RunOk("Set-M365RequestSetting -MaxRetry 9 -WhatIf");
        var retries = session.RunOk("(Get-M365RequestSetting).MaxRetry").Output.Single();
        var missing = session.Run("Set-M365RequestSetting -Connection nosuch -MaxRetry 1");
        var outOfRange = session.Run("Set-M365RequestSetting -MaxRetry 11");

        Assert.Equal(3, (int)retries.BaseObject);
        Assert.Equal("nosuch", missing.SingleError("ConnectionNameNotFound", ErrorCategory.ObjectNotFound).TargetObject);
        Assert.Contains(outOfRange.Errors, e => e.FullyQualifiedErrorId.StartsWith("ParameterArgumentValidationError", StringComparison.Ordinal));
        var alias = session.RunOk("(Set-M365RequestSetting -ClientTimeout 30 -PassThru).RequestTimeout").Output.Single();
        Assert.Equal(TimeSpan.FromSeconds(30), (TimeSpan)alias.BaseObject);
    }
}
