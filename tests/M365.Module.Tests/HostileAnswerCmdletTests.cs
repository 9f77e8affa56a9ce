using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;

namespace M365.Module.Tests;

/// <summary>
/// What a PowerShell user sees when the service answers as an attacker would (issue 16, security 6 to 9): one error with a
/// stable id per bad item or input, the rest going on, and limits that say how to raise them.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class HostileAnswerCmdletTests
{
    private readonly SandboxFixture _fixture;

    public HostileAnswerCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private static FaultRule Body(string path, string body, string? query = null, FaultScope scope = FaultScope.Any) =>
        new() { Host = "graph.microsoft.com", Path = path, Query = query, Scope = scope, Kind = FaultKind.Body, Body = body };

    [Fact]
    public void ItemsThatAreNotObjectsAreOneErrorEachAndTheOtherServicePrincipalsAreWritten()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        var known = session.RunOk("@(Get-M365AadSp -Property id, appId | Select-Object -First 2)").Output;
        string json(PSObject sp) => $"{{\"id\":\"{sp.Str("Id")}\",\"appId\":\"{sp.Str("AppId")}\"}}";
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[" + json(known[0]) + ",\"x\",5,null," + json(known[1]) + "]}", query: "*$top=999*"));

        var result = session.Run("Get-M365AadSp; 'after'");
        var silenced = session.Run("$null = Get-M365AadSp -ErrorAction SilentlyContinue; 'after'");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { known[0].Str("Id"), known[1].Str("Id") }, result.Output.Take(2).Select(o => o.Str("Id")));
        Assert.Equal("after", result.Output.Last().ToString());
        Assert.Null(silenced.Terminating);
        Assert.Equal("after", Assert.Single(silenced.Output).ToString());
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("ResponseItemInvalid,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        });
        Assert.Contains("a JSON number", result.Errors[1].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void ALookupByAppIdAnsweredWithNonObjectsIsResponseItemInvalidForThatInput()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        var appId = Guid.NewGuid();
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[\"x\",5,null]}"));

        var result = session.Run("Get-M365AadSp -AppId $appId; 'after'", new Dictionary<string, object?> { ["appId"] = appId });

        Assert.Equal("after", Assert.Single(result.Output).ToString());
        Assert.Equal(appId, result.SingleError("ResponseItemInvalid", ErrorCategory.InvalidData).TargetObject);
    }

    [Fact]
    public void BatchBodiesSwappedBetweenInputsGiveNeitherInputTheOthersObject()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        var known = session.RunOk("@(Get-M365AadSp -Property id, appId | Select-Object -First 3)").Output;
        string value(PSObject sp) => $"{{\"value\":[{{\"id\":\"{sp.Str("Id")}\",\"appId\":\"{sp.Str("AppId")}\"}}]}}";
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", value(known[1]), query: $"*{known[0].Str("AppId")}*", scope: FaultScope.BatchItems));
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", value(known[0]), query: $"*{known[1].Str("AppId")}*", scope: FaultScope.BatchItems));

        var result = session.Run("$ids | Get-M365AadSp", new Dictionary<string, object?>
        {
            ["ids"] = known.Select(k => k.Str("AppId")).ToArray(),
        });

        Assert.Equal(known[2].Str("Id"), Assert.Single(result.Output).Str("Id"));
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("ResponseItemInvalid,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.Equal(new[] { known[0].Str("AppId"), known[1].Str("AppId") }, result.Errors.Select(e => e.TargetObject?.ToString()));
    }

    [Fact]
    public void AHugeRawBodyIsResponseTooLargeUnlessTheLimitIsRaised()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/organization", Kind = FaultKind.LargeBody, BodyBytes = 150L * 1024 * 1024 });
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/sites/root", Kind = FaultKind.LargeBody, BodyBytes = 3 * 1024 * 1024, DeclareLength = true });

        var huge = session.Run("Invoke-M365Request -Service Graph v1.0/organization -Raw");
        var small = session.Run("Invoke-M365Request -Service Graph v1.0/sites/root -Raw -MaximumResponseSize 1MB");
        var raised = session.RunOk("(Invoke-M365Request -Service Graph v1.0/sites/root -Raw -MaximumResponseSize 4MB).Length");

        var error = huge.SingleError("ResponseTooLarge", ErrorCategory.LimitsExceeded);
        Assert.Equal("v1.0/organization", error.TargetObject);
        Assert.Contains("64 MiB", error.Text(), StringComparison.Ordinal);
        Assert.Contains("-MaximumResponseSize", error.Text(), StringComparison.Ordinal);
        Assert.Contains("1,048,576 bytes", small.SingleError("ResponseTooLarge", ErrorCategory.LimitsExceeded).Text(), StringComparison.Ordinal);
        Assert.Equal(3 * 1024 * 1024, Convert.ToInt32(Assert.Single(raised.Output).BaseObject));
    }

    [Fact]
    public void EndlessDistinctNextLinksStopAtMaximumPageCountAfterTheItemsReadSoFar()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        _fixture.Sandbox.InjectFault(Body("/v1.0/servicePrincipals", "{\"value\":[{\"id\":\"{n}\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/servicePrincipals?$top=1&$skiptoken=endless{n}\"}"));

        var result = session.Run("Invoke-M365Request -Service Graph 'v1.0/servicePrincipals?$top=1' -All -MaximumPageCount 4");

        Assert.Equal(new[] { "1", "2", "3", "4" }, result.Output.Select(o => o.Str("id")));
        var error = result.SingleError("ODataPageLimitExceeded", ErrorCategory.LimitsExceeded);
        Assert.Contains("4 pages, after 4 items", error.Text(), StringComparison.Ordinal);
        Assert.Contains("-MaximumPageCount", error.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void AControlCharacterInACsvOwnersCellIsSiteParameterInvalidBeforeAnyRequest()
    {
        using var session = SignedInSessions.AppOnly(_fixture);
        var csv = Path.Combine(Path.GetTempPath(), "m365-nul-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(csv, "Type,Title,Url,TimeZone,Owners\nClassicSite,Archive,https://contoso.sharepoint.com/sites/nul-" + Guid.NewGuid().ToString("N") + ",4,admin\0@contoso.onmicrosoft.com\n");
        try
        {
            _fixture.Sandbox.ResetRequestLog();
            var result = session.Run("Import-Csv -LiteralPath $csv | Add-M365SpoSite", new Dictionary<string, object?> { ["csv"] = csv });

            var error = result.SingleError("SiteParameterInvalid", ErrorCategory.InvalidArgument);
            Assert.Contains("[TextCharacters] -Owners has the character U+0000", error.Text(), StringComparison.Ordinal);
            Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Method == "POST" && !e.IsTokenRequest);
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
