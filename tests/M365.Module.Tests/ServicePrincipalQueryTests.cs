using System.Management.Automation;
using M365.Module.Tests.Harness;
using M365.Sandbox.Control;

namespace M365.Module.Tests;

/// <summary>Get-M365AadSp's Graph query options (-Top, -Search, -Sort, -CountVariable, -ExpandProperty) against the sandbox, checked in its request log.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ServicePrincipalQueryTests
{
    private readonly SandboxFixture _fixture;

    public ServicePrincipalQueryTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private List<RequestLogEntry> Listings() =>
        _fixture.Sandbox.GetRequestLog().Where(e => e.Path == "/v1.0/servicePrincipals" && !e.IsTokenRequest).ToList();

    [Fact]
    public void TopAsksOnlyForWhatItNeedsAndStopsPaging()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        var five = session.RunOk("Get-M365AadSp -Top 5 -Property id").Output;
        var fiveRequests = Listings();
        _fixture.Sandbox.ResetRequestLog();
        var all = session.RunOk("(Get-M365AadSp -Property id | Measure-Object).Count").Output.Single();
        _fixture.Sandbox.ResetRequestLog();
        var more = session.RunOk("(Get-M365AadSp -Top 5000 -Property id | Measure-Object).Count").Output.Single();
        var moreRequests = Listings();

        Assert.Equal(5, five.Count);
        Assert.Contains("$top=5&", Uri.UnescapeDataString(Assert.Single(fiveRequests).Query) + "&", StringComparison.Ordinal);
        Assert.Equal(Convert.ToInt32(all.BaseObject), Convert.ToInt32(more.BaseObject));
        Assert.Contains("$top=999", Uri.UnescapeDataString(Assert.Single(moreRequests).Query), StringComparison.Ordinal);
    }

    [Fact]
    public void SearchWithCountSetsTheCountInTheCallersScopeFromOneRequest()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        var result = session.RunOk("& { $found = @(Get-M365AadSp -Search SharePoint -CountVariable total -Property displayName); $found.Count; $total; $total.GetType().Name; ($found.DisplayName -join '|') }").Output.Select(o => o.ToString()!).ToList();

        var query = Uri.UnescapeDataString(Assert.Single(Listings()).Query);
        Assert.Contains("$search=\"displayName:SharePoint\"", query, StringComparison.Ordinal);
        Assert.Contains("$count=true", query, StringComparison.Ordinal);
        Assert.Equal(result[0], result[1]);
        Assert.Equal("Int32", result[2]);
        Assert.Contains("Office 365 SharePoint Online", result[3], StringComparison.Ordinal);
    }

    [Fact]
    public void SortOrdersTheListingAndWithAWildcardNameIsSentAsAnAdvancedQuery()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        var descending = session.RunOk("(Get-M365AadSp -Sort 'displayName desc' -Top 30 -Property displayName).DisplayName").Output.Select(o => o.ToString()!).ToList();
        var office = session.RunOk("(Get-M365AadSp -DisplayName 'Office*' -Sort displayName -Property displayName).DisplayName").Output.Select(o => o.ToString()!).ToList();

        Assert.Equal(30, descending.Count);
        Assert.Equal(descending.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), descending);
        Assert.NotEmpty(office);
        Assert.Equal(office.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), office);
        Assert.All(office, n => Assert.StartsWith("Office", n, StringComparison.OrdinalIgnoreCase));
        var advanced = Uri.UnescapeDataString(Listings().Last().Query);
        Assert.Contains("startswith(displayName,'Office')", advanced, StringComparison.Ordinal);
        Assert.Contains("$count=true", advanced, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandPropertySurfacesTheExpandedAssignmentsAndABadSortTermSendsNothing()
    {
        using var session = SignedInSessions.AppOnly(_fixture);

        var graph = session.RunOk("Get-M365AadSp -Filter \"appId eq '00000003-0000-0000-c000-000000000000'\" -ExpandProperty appRoleAssignedTo").Output.Single();
        _fixture.Sandbox.ResetRequestLog();
        var bad = session.Run("Get-M365AadSp -Sort 'displayName; drop'");

        var additional = (System.Collections.IDictionary)graph.Prop("AdditionalProperties")!;
        Assert.IsType<object?[]>(additional["appRoleAssignedTo"]);
        Assert.Equal("displayName; drop", bad.SingleError("BadRequest", ErrorCategory.InvalidArgument).TargetObject);
        Assert.Empty(Listings());
    }

    [Fact]
    public void SortAndExpandPropertyComplete()
    {
        using var session = new PowerShellSession();

        Assert.Equal(new[] { "displayName", "'displayName desc'" }, session.Complete("Get-M365AadSp -Sort disp"));
        Assert.Equal(new[] { "appRoleAssignedTo", "appRoleAssignments" }, session.Complete("Get-M365AadSp -ExpandProperty appRole"));
    }
}
