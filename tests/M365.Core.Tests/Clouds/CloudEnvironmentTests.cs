using M365.Core.Clouds;

namespace M365.Core.Tests.Clouds;

public sealed class CloudEnvironmentTests
{
    [Theory]
    [InlineData("public", "login.microsoftonline.com", "graph.microsoft.com", "sharepoint.com", "manage.office.com", "management.azure.com", "www.yammer.com", "graph.windows.net")]
    [InlineData("USGOV", "login.microsoftonline.us", "graph.microsoft.us", "sharepoint.us", "manage.office365.us", "management.usgovcloudapi.net", null, "graph.microsoftazure.us")]
    [InlineData("usgovdod", "login.microsoftonline.us", "dod-graph.microsoft.us", "sharepoint-mil.us", "manage.protection.apps.mil", "management.usgovcloudapi.net", null, "graph.microsoftazure.us")]
    [InlineData("China", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn", "sharepoint.cn", "manage.office.partner.outlook.cn", "management.chinacloudapi.cn", null, "graph.chinacloudapi.cn")]
    public void CloudsHaveTheirHosts(string name, string authority, string graph, string sharePoint, string management, string azure, string? yammer, string aadGraph)
    {
        Assert.True(CloudEnvironment.TryGet(name, out CloudEnvironment? cloud));
        Assert.Equal(authority, cloud!.AuthorityHost);
        Assert.Equal(graph, cloud.GraphHost);
        Assert.Equal(sharePoint, cloud.SharePointSuffix);
        Assert.Equal(management, cloud.ManagementHost);
        Assert.Equal(azure, cloud.AzureManagementHost);
        Assert.Equal(yammer, cloud.YammerHost);
        Assert.Equal(aadGraph, cloud.AadGraphHost);
    }

    [Fact]
    public void UnknownCloudIsNotFoundAndAllListsFour()
    {
        Assert.False(CloudEnvironment.TryGet("Germany", out CloudEnvironment? cloud));
        Assert.Null(cloud);
        Assert.Equal(new[] { "Public", "USGov", "USGovDoD", "China" }, CloudEnvironment.All.Select(c => c.Name));
    }
}
