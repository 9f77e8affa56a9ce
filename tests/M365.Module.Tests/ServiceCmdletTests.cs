using System.Diagnostics;
using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Module.Tests;

/// <summary>Get-M365AadSp, Add-M365SpoSite and Invoke-M365Request in the hosted engine, each checked against the sandbox's request log.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ServiceCmdletTests
{
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    private readonly SandboxFixture _fixture;

    public ServiceCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private static string NewUrl(string prefix) => $"https://contoso.sharepoint.com/sites/{prefix}-{Guid.NewGuid():N}";

    private List<RequestLogEntry> Direct(string path) =>
        _fixture.Sandbox.GetRequestLog().Where(e => e.Path == path && e.BatchId is null && !e.IsTokenRequest).ToList();

    /// <summary>A delegated session with the Graph and SharePoint tokens already in hand, and an empty request log.</summary>
    private PowerShellSession SignedIn()
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource Graph, SharePoint", new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential("admin@contoso.onmicrosoft.com", Secrets.Secure(SandboxSeed.AdminPassword)),
        });
        _fixture.Sandbox.ResetRequestLog();
        return session;
    }

    private PowerShellSession AppOnly() => SignedInSessions.AppOnly(_fixture);

    [Fact]
    public void FortyFivePipedAppIdsSendThreeBatchesInInputOrderAndOneMissingIdIsOneError()
    {
        using var session = SignedIn();
        var known = session.RunOk("@(Get-M365AadSp -Property appId).AppId.Guid").Output.Select(o => o.ToString()!).Take(44).ToList();
        Assert.Equal(44, known.Count);
        var missing = Guid.NewGuid().ToString();
        var ids = known.Take(30).Append(missing).Concat(known.Skip(30)).ToList();
        _fixture.Sandbox.ResetRequestLog();

        var result = session.Run("$ids | Get-M365AadSp", new Dictionary<string, object?> { ["ids"] = ids.ToArray() });

        Assert.Equal(3, Direct("/v1.0/$batch").Count);
        Assert.Equal(3, _fixture.Sandbox.GetRequestLog().Count(e => e.BatchId is null));
        Assert.Equal(ids.Where(i => i != missing), result.Output.Select(o => o.Str("AppId")));
        Assert.All(result.Output, o => Assert.Equal("M365.ServicePrincipal", o.TypeNames[0]));
        var error = result.SingleError("ServicePrincipalNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal(missing, error.TargetObject?.ToString());
    }

    [Fact]
    public void OneThrottledItemInsideABatchIsRetriedAlone()
    {
        using var session = SignedIn();
        var ids = session.RunOk("@(Get-M365AadSp -Property appId).AppId.Guid").Output.Select(o => o.ToString()!).Take(5).ToArray();
        _fixture.Sandbox.ThrottleBatchItems("/v1.0/servicePrincipals", $"*{ids[3]}*", retryAfterSeconds: 0.2, times: 1);
        _fixture.Sandbox.ResetRequestLog();

        var result = session.RunOk("$ids | Get-M365AadSp -Verbose", new Dictionary<string, object?> { ["ids"] = ids });

        Assert.Equal(ids, result.Output.Select(o => o.Str("AppId")));
        var inner = _fixture.Sandbox.GetRequestLog().Where(e => e.BatchId is not null).ToList();
        Assert.Equal(6, inner.Count);
        var retried = inner.GroupBy(e => e.BatchId).Single(g => g.Count() == 1).Single();
        Assert.Contains(ids[3], Uri.UnescapeDataString(retried.Query), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(result.Verbose, line => line.Contains("1 of 5 batch items throttled", StringComparison.Ordinal));
    }

    [Fact]
    public void AThousandPipedIdsUnderTenPercentThrottlingSendAtMostSixtyFiveBatchesInInputOrder()
    {
        using var session = SignedIn();
        var known = session.RunOk("@(Get-M365AadSp -Property appId).AppId.Guid").Output.Select(o => o.ToString()!).ToList();
        var ids = Enumerable.Range(0, 1000).Select(i => known[i % known.Count]).ToArray();
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/$batch", Scope = FaultScope.Direct, Status = 429, Ratio = 0.1, RetryAfterSeconds = 0.2, RetryAfterForm = RetryAfterForm.DecimalSeconds });
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals*", Scope = FaultScope.BatchItems, Status = 429, Ratio = 0.1, RetryAfterSeconds = 0.2, RetryAfterForm = RetryAfterForm.DecimalSeconds });
        _fixture.Sandbox.ResetRequestLog();

        // Errors merged into the output, so their place among the objects shows.
        var result = session.Run("$ids | Get-M365AadSp 2>&1", new Dictionary<string, object?> { ["ids"] = ids });

        Assert.InRange(Direct("/v1.0/$batch").Count, 50, 65);
        Assert.Equal(1000, result.Output.Count);
        var answered = result.Output.Select(o => o.BaseObject is ErrorRecord e ? e.TargetObject?.ToString() : o.Str("AppId")).ToList();
        Assert.Equal(ids, answered);
        // An item 429'd on all 4 of its sends (about 1 in 10,000 here) is its own RequestThrottled error, at its place.
        var errors = result.Output.Select(o => o.BaseObject).OfType<ErrorRecord>().ToList();
        Assert.All(errors, e => Assert.StartsWith("RequestThrottled,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.InRange(errors.Count, 0, 3);
    }

    [Fact]
    public void SelectFirstStopsPipedLookupsWithBatchesInFlightAndTheSessionGoesOn()
    {
        using var session = SignedIn();
        var known = session.RunOk("@(Get-M365AadSp -Property appId).AppId.Guid").Output.Select(o => o.ToString()!).ToList();
        var ids = Enumerable.Range(0, 400).Select(i => known[i % known.Count]).ToArray();
        _fixture.Sandbox.ResetRequestLog();

        var first = session.RunOk("$ids | Get-M365AadSp | Select-Object -First 3", new Dictionary<string, object?> { ["ids"] = ids }).Output;
        var again = session.RunOk("$ids[0..1] | Get-M365AadSp", new Dictionary<string, object?> { ["ids"] = ids }).Output;

        Assert.Equal(ids.Take(3), first.Select(o => o.Str("AppId")));
        Assert.Equal(ids.Take(2), again.Select(o => o.Str("AppId")));
        // The window holds at most 320 ids, so the last 80 were never sent.
        Assert.InRange(Direct("/v1.0/$batch").Count, 2, 17);
    }

    [Fact]
    public void ASingleLookupIsOneRequestAndNoBatchSendsOnePerInput()
    {
        using var session = SignedIn();
        session.RunOk($"Get-M365AadSp -AppId {GraphAppId}");
        var single = Assert.Single(_fixture.Sandbox.GetRequestLog());
        Assert.Equal("/v1.0/servicePrincipals", single.Path);

        var ids = session.RunOk("@(Get-M365AadSp -Property id | Select-Object -First 3).Id.Guid").Output.Select(o => o.ToString()).ToArray();
        _fixture.Sandbox.ResetRequestLog();
        var found = session.RunOk("Get-M365AadSp -ObjectId $ids -NoBatch", new Dictionary<string, object?> { ["ids"] = ids }).Output;

        Assert.Equal(ids, found.Select(o => o.Str("Id")));
        Assert.Equal(3, _fixture.Sandbox.GetRequestLog().Count);
        Assert.Empty(Direct("/v1.0/$batch"));
    }

    [Fact]
    public void ANotFoundObjectIdCarriesGraphsMessageAndRequestId()
    {
        using var session = SignedIn();
        var missing = Guid.NewGuid();
        var result = session.Run($"Get-M365AadSp -Id {missing}; Get-M365AadSp -AppId {GraphAppId}");

        var error = result.SingleError("ServicePrincipalNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal(missing, error.TargetObject);
        Assert.Matches("Request id: [0-9a-f-]{36}", error.ErrorDetails!.Message);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
        Assert.Equal("Microsoft Graph", Assert.Single(result.Output).Str("DisplayName"));
    }

    [Fact]
    public void TwoHundredSitesWithWaitFinishInAboutTheTimeOfTheSlowest()
    {
        using var session = SignedIn();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(2);
        try
        {
            var urls = Enumerable.Range(0, 200).Select(i => NewUrl($"many{i}")).ToArray();
            var watch = Stopwatch.StartNew();
            var result = session.RunOk("$urls | ForEach-Object { [pscustomobject]@{ Type = 'CommunicationSite'; Title = 'Many'; Url = $_ } } | Add-M365SpoSite -Wait", new Dictionary<string, object?> { ["urls"] = urls });
            watch.Stop();

            Assert.Equal(200, result.Output.Count);
            Assert.All(result.Output, o => Assert.Equal("Ready", o.Str("Status")));
            Assert.Equal(urls.Order(), result.Output.Select(o => o.Str("Url")!).Order());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(100), $"200 sites of 2 s each took {watch.Elapsed} (one by one: 400 s)");
            Assert.Equal(200, Direct("/_api/SPSiteManager/Create").Count);
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void ACreateThatTimesOutOnceCreatesExactlyOneSite()
    {
        using var session = SignedIn();
        var url = NewUrl("gateway");
        _fixture.Sandbox.InjectFault(new FaultRule { Path = "/_api/SPSiteManager/Create", Method = "POST", Status = 504, Times = 1 });

        var result = session.RunOk("Add-M365SpoSite -Type CommunicationSite -Title Once -Url $url -Verbose", new Dictionary<string, object?> { ["url"] = url });

        Assert.Equal(url, Assert.Single(result.Output).Str("Url"));
        var creates = Direct("/_api/SPSiteManager/Create");
        Assert.Equal(new[] { 504, 200 }, creates.Select(c => c.Status));
        Assert.Contains(result.Verbose, line => line.Contains("checking whether", StringComparison.Ordinal));
        var again = session.Run("Add-M365SpoSite -Type CommunicationSite -Title Twice -Url $url", new Dictionary<string, object?> { ["url"] = url });
        again.SingleError("SiteAlreadyExists", ErrorCategory.ResourceExists);
    }

    [Fact]
    public void AWaitPastTimeoutIsSiteCreationTimedOut()
    {
        using var session = SignedIn();
        _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.FromSeconds(60);
        try
        {
            var watch = Stopwatch.StartNew();
            var result = session.Run("Add-M365SpoSite -Type CommunicationSite -Title Slow -Url $url -Wait -Timeout 1", new Dictionary<string, object?> { ["url"] = NewUrl("slow") });
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
            result.SingleError("SiteCreationTimedOut", ErrorCategory.OperationTimeout);
            Assert.Empty(result.Output);
        }
        finally
        {
            _fixture.Sandbox.SiteProvisioningDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public void BrokenRulesAndAppOnlyTeamSitesSendNothing()
    {
        using (var session = SignedIn())
        {
            var result = session.Run("Add-M365SpoSite -Type ClassicSite -Title K -Url $url -Owners a@contoso.onmicrosoft.com -TimeZone 4 -StorageQuota 10 -StorageQuotaWarningLevel 20", new Dictionary<string, object?> { ["url"] = NewUrl("rule") });
            var error = result.SingleError("SiteParameterInvalid", ErrorCategory.InvalidArgument);
            Assert.Contains("[StorageWarningWithinQuota]", error.Text(), StringComparison.Ordinal);
        }

        using (var app = AppOnly())
        {
            var result = app.Run("Add-M365SpoSite -Type TeamSite -Title T -Alias apponly");
            var error = result.SingleError("TeamSiteRequiresDelegatedAuth", ErrorCategory.InvalidOperation);
            Assert.Equal("apponly", error.TargetObject);
        }

        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest);
    }

    [Fact]
    public void InvokeM365RequestSendsBodiesAsJsonHonoursWhatIfAndKeepsYammerDelegated()
    {
        using (var session = SignedIn())
        {
            session.RunOk("Invoke-M365Request -Service Graph v1.0/groups -Method POST -Body @{ displayName = 'Lab' } -WhatIf");
            Assert.Empty(_fixture.Sandbox.GetRequestLog());

            var me = session.RunOk("Invoke-M365Request -Service Graph v1.0/me").Output.Single();
            Assert.Equal("admin@contoso.onmicrosoft.com", me.Str("userPrincipalName"));
            var status = session.RunOk("Invoke-M365Request -Service Management \"api/v1.0/$((Get-M365AccessToken).TenantId)/ServiceComms/CurrentStatus\" -Verbose");
            Assert.NotEmpty(status.Output);
            Assert.Contains(status.Verbose, line => line.Contains("manage.office.com", StringComparison.Ordinal));
            Assert.DoesNotContain("eyJ", status.AllText(), StringComparison.Ordinal);
        }

        using (var app = AppOnly())
        {
            var result = app.Run("Invoke-M365Request -Service Yammer api/v1/users/current.json");
            result.SingleError("YammerRequiresDelegatedAuth", ErrorCategory.InvalidOperation);
            Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Host.Contains("yammer", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EnumerationsAndPropertiesComplete()
    {
        using var session = new PowerShellSession();
        Assert.Equal(new[] { "ClassicSite", "CommunicationSite" }, session.Complete("Add-M365SpoSite -Type C"));
        Assert.Equal(new[] { "Showcase" }, session.Complete("Add-M365SpoSite -Type CommunicationSite -SiteDesign Sh"));
        Assert.Equal(new[] { "SharePoint", "SharePointAdmin", "SharePointMy" }, session.Complete("Invoke-M365Request -Service Sha"));
        Assert.Equal(new[] { "PATCH", "POST", "PUT" }, session.Complete("Invoke-M365Request -Method P").Order());
        Assert.Contains("appDisplayName", session.Complete("Get-M365AadSp -Property appD"));
    }
}
