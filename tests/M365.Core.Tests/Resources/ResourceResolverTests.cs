using M365.Core.Clouds;
using M365.Core.Resources;

namespace M365.Core.Tests.Resources;

public sealed class ResourceResolverTests
{
    public static TheoryData<string, string, ResourceKind, string, string> Table => new()
    {
        { "Public", "https://graph.microsoft.com/v1.0/me", ResourceKind.Graph, "https://graph.microsoft.com", "https://graph.microsoft.com/.default" },
        { "USGov", "https://graph.microsoft.us/v1.0/me", ResourceKind.Graph, "https://graph.microsoft.us", "https://graph.microsoft.us/.default" },
        { "USGovDoD", "https://dod-graph.microsoft.us/v1.0/me", ResourceKind.Graph, "https://dod-graph.microsoft.us", "https://dod-graph.microsoft.us/.default" },
        { "China", "https://microsoftgraph.chinacloudapi.cn/v1.0/me", ResourceKind.Graph, "https://microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default" },
        { "Public", "https://contoso.sharepoint.com/sites/x", ResourceKind.SharePoint, "https://contoso.sharepoint.com", "https://contoso.sharepoint.com/.default" },
        { "Public", "https://contoso-admin.sharepoint.com/_api/x", ResourceKind.SharePointAdmin, "https://contoso-admin.sharepoint.com", "https://contoso-admin.sharepoint.com/.default" },
        { "Public", "https://contoso-my.sharepoint.com/personal/a", ResourceKind.SharePointMy, "https://contoso-my.sharepoint.com", "https://contoso-my.sharepoint.com/.default" },
        { "USGov", "https://contoso.sharepoint.us/", ResourceKind.SharePoint, "https://contoso.sharepoint.us", "https://contoso.sharepoint.us/.default" },
        { "USGovDoD", "https://contoso-admin.sharepoint-mil.us/", ResourceKind.SharePointAdmin, "https://contoso-admin.sharepoint-mil.us", "https://contoso-admin.sharepoint-mil.us/.default" },
        { "China", "https://contoso-my.sharepoint.cn/", ResourceKind.SharePointMy, "https://contoso-my.sharepoint.cn", "https://contoso-my.sharepoint.cn/.default" },
        { "Public", "https://manage.office.com/api/v1.0/t/ServiceComms/CurrentStatus", ResourceKind.Management, "https://manage.office.com", "https://manage.office.com/.default" },
        { "USGov", "https://manage.office365.us/api", ResourceKind.Management, "https://manage.office365.us", "https://manage.office365.us/.default" },
        { "USGovDoD", "https://manage.protection.apps.mil/api", ResourceKind.Management, "https://manage.protection.apps.mil", "https://manage.protection.apps.mil/.default" },
        { "China", "https://manage.office.partner.outlook.cn/api", ResourceKind.Management, "https://manage.office.partner.outlook.cn", "https://manage.office.partner.outlook.cn/.default" },
        { "Public", "https://management.azure.com/subscriptions?api-version=2022-12-01", ResourceKind.AzureManagement, "https://management.azure.com/", "https://management.azure.com//.default" },
        { "USGov", "https://management.usgovcloudapi.net/subscriptions", ResourceKind.AzureManagement, "https://management.usgovcloudapi.net/", "https://management.usgovcloudapi.net//.default" },
        { "China", "https://management.chinacloudapi.cn/subscriptions", ResourceKind.AzureManagement, "https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn//.default" },
        { "Public", "https://www.yammer.com/api/v1/messages.json", ResourceKind.Yammer, "https://www.yammer.com", "https://api.yammer.com/user_impersonation" },
        { "Public", "https://api.yammer.com/api/v1/users.json", ResourceKind.Yammer, "https://www.yammer.com", "https://api.yammer.com/user_impersonation" },
        { "Public", "https://graph.windows.net/contoso.onmicrosoft.com/users", ResourceKind.AadGraph, "https://graph.windows.net", "https://graph.windows.net/.default" },
        { "USGov", "https://graph.microsoftazure.us/x", ResourceKind.AadGraph, "https://graph.microsoftazure.us", "https://graph.microsoftazure.us/.default" },
        { "China", "https://graph.chinacloudapi.cn/x", ResourceKind.AadGraph, "https://graph.chinacloudapi.cn", "https://graph.chinacloudapi.cn/.default" },
        { "Public", "https://api.contoso.example/v2/things", ResourceKind.Other, "https://api.contoso.example", "https://api.contoso.example/.default" },
        { "Public", "https://GRAPH.microsoft.com:8443/x", ResourceKind.Other, "https://graph.microsoft.com:8443", "https://graph.microsoft.com:8443/.default" },
        { "USGov", "https://graph.microsoft.com/v1.0/me", ResourceKind.Other, "https://graph.microsoft.com", "https://graph.microsoft.com/.default" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void FromUrlPicksResourceByOrigin(string cloud, string url, ResourceKind kind, string resourceId, string scope)
    {
        Assert.True(CloudEnvironment.TryGet(cloud, out CloudEnvironment? environment));
        M365Resource resource = new ResourceResolver(environment!, "contoso").FromUrl(new Uri(url));

        Assert.Equal(kind, resource.Kind);
        Assert.Equal(resourceId, resource.ResourceId);
        Assert.Equal(scope, resource.Scope);
        Assert.Equal(kind == ResourceKind.Yammer, resource.DelegatedOnly);
        Assert.Equal("", resource.Origin.AbsolutePath.Trim('/'));
    }

    [Fact]
    public void ThreeSharePointHostsAreThreeResources()
    {
        var resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        var hosts = new[] { "https://contoso.sharepoint.com/a", "https://contoso-admin.sharepoint.com/b", "https://contoso-my.sharepoint.com/c" }
            .Select(u => resolver.FromUrl(new Uri(u)))
            .ToList();

        Assert.Equal(3, hosts.Distinct().Count());
        Assert.Equal(resolver.FromUrl(new Uri("https://CONTOSO.sharepoint.com/other")), hosts[0]);
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/v1.0/me")]
    [InlineData("ftp://graph.microsoft.com/x")]
    public void NonHttpsUrlsAreRefused(string url)
    {
        var error = Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public).FromUrl(new Uri(url)));
        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, error.ErrorId);
    }

    [Fact]
    public void RelativeUrlIsRefused()
    {
        var error = Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public).FromUrl(new Uri("/v1.0/me", UriKind.Relative)));
        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, error.ErrorId);
    }

    [Theory]
    [InlineData("graph", "https://graph.microsoft.com")]
    [InlineData("SharePoint", "https://contoso.sharepoint.com")]
    [InlineData("sharepointadmin", "https://contoso-admin.sharepoint.com")]
    [InlineData("SHAREPOINTMY", "https://contoso-my.sharepoint.com")]
    [InlineData("Management", "https://manage.office.com")]
    [InlineData("AzureManagement", "https://management.azure.com/")]
    [InlineData("Yammer", "https://www.yammer.com")]
    [InlineData("AadGraph", "https://graph.windows.net")]
    [InlineData("https://contoso.sharepoint.com/sites/x", "https://contoso.sharepoint.com")]
    public void FromNameAcceptsNamesAndUrls(string name, string resourceId)
    {
        Assert.Equal(resourceId, new ResourceResolver(CloudEnvironment.Public, "contoso").FromName(name).ResourceId);
    }

    [Fact]
    public void SharePointNamesNeedTheTenant()
    {
        var resolver = new ResourceResolver(CloudEnvironment.Public);
        var error = Assert.Throws<M365Exception>(() => resolver.FromName("SharePointAdmin"));

        Assert.Equal(ResourceErrorIds.SharePointTenantUnknown, error.ErrorId);
        Assert.Equal("https://fabrikam-admin.sharepoint.com", resolver.WithSharePointTenant("https://fabrikam.sharepoint.com").FromName("SharePointAdmin").ResourceId);
    }

    [Fact]
    public void UnknownNameAndInvalidTenantAndYammerOutsidePublicAreClearErrors()
    {
        Assert.Equal(ResourceErrorIds.ResourceNameUnknown, Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public).FromName("Exchange")).ErrorId);
        Assert.Equal(ResourceErrorIds.SharePointTenantInvalid, Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public, "con toso")).ErrorId);
        Assert.Equal(ResourceErrorIds.ResourceNotInCloud, Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.USGov).FromName("Yammer")).ErrorId);
        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public).FromName("http://graph.microsoft.com")).ErrorId);
    }

    [Fact]
    public void NamesForTabCompletionAreAllResolvable()
    {
        var resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        Assert.Equal(8, ResourceResolver.ResourceNames.Count);
        Assert.All(ResourceResolver.ResourceNames, name => Assert.NotNull(resolver.FromName(name)));
    }

    [Fact]
    public void CoversOnlyTheResourceOrigin()
    {
        var resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        M365Resource graph = resolver.Graph;
        M365Resource yammer = resolver.FromName("Yammer");

        Assert.True(graph.Covers(new Uri("https://graph.microsoft.com/v1.0/users?$skiptoken=x")));
        Assert.False(graph.Covers(new Uri("https://evil.example/v1.0/users")));
        Assert.False(graph.Covers(new Uri("http://graph.microsoft.com/v1.0/users")));
        Assert.True(yammer.Covers(new Uri("https://api.yammer.com/api/v1/users.json")));
    }

    // Found by the tenant name properties: Connect-M365 -Tenant my-tenant.onmicrosoft.com hinted "my-tenant", which the
    // resolver then refused, so a successful sign-in ended in SharePointTenantInvalid.
    [Theory]
    [InlineData("contoso.onmicrosoft.com", "contoso")]
    [InlineData("Contoso.OnMicrosoft.com", "contoso")]
    [InlineData("my-tenant.onmicrosoft.com", null)]
    [InlineData("a.b.onmicrosoft.com", null)]
    [InlineData("cont\u0130so.onmicrosoft.com", null)]
    [InlineData("contoso.com", null)]
    [InlineData(null, null)]
    public void AnInitialDomainHintsOnlyAValidTenantName(string? domain, string? expected) =>
        Assert.Equal(expected, ResourceResolver.SharePointTenantFromInitialDomain(domain));

    // Found by the tenant name properties: ToLowerInvariant and IDN mapping folded look-alikes into ASCII tenant names.
    [Theory]
    [InlineData("cont\u0130so")]
    [InlineData("\u212aontoso")]
    [InlineData("https://\u212aontoso.sharepoint.com")]
    public void LookAlikeLettersAreNotFoldedIntoATenantName(string tenant) =>
        Assert.Equal(ResourceErrorIds.SharePointTenantInvalid, Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public, tenant)).ErrorId);

    // Found by the URL properties: FromUrl lower-cased a Kelvin sign into 'k', so the resource named another host than the
    // URL's and the request failed with an InvalidOperationException instead of going to its own origin.
    [Fact]
    public void AResourceAlwaysCoversTheUrlItWasResolvedFrom()
    {
        var url = new Uri("https://\u212aontoso.example/api");

        M365Resource resource = new ResourceResolver(CloudEnvironment.Public).FromUrl(url);

        Assert.True(resource.Covers(url));
    }

    // Found by the URL properties: user@host gave the host's resource, which then refused the URL (InvalidOperationException);
    // a 60 s run found the empty form, https://@host/.
    [Theory]
    [InlineData("https://evil.example@contoso.sharepoint.com/_api/web")]
    [InlineData("https://@contoso.sharepoint.com/_api/web")]
    public void AUrlWithUserInformationIsRefused(string url)
    {
        var error = Assert.Throws<M365Exception>(() => new ResourceResolver(CloudEnvironment.Public).FromUrl(new Uri(url)));

        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, error.ErrorId);
    }
}
