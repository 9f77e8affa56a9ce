using M365.Core.Clouds;
using M365.Core.Resources;

namespace M365.Core.Tests.Resources;

/// <summary>
/// -Resource: a Microsoft audience goes only to its own host, whatever is asked; the caller's own API audiences (App ID URI,
/// app id, https URL) are bound to the request's host, which must not be a Microsoft one (issue 16, security 1 and behaviour 6).
/// </summary>
public sealed class AudienceTests
{
    private static readonly ResourceResolver Resolver = new(CloudEnvironment.Public, "contoso");

    [Theory]
    // Found by the CsCheck property: an audience whose host is no valid authority (an underscore, an empty label) threw UriFormatException.
    [InlineData("https://evil.example/x", "http://9YZ_..bb0a0.sharepoint-mil.us:65231")]
    [InlineData("https://evil.example/x", "Graph")]
    [InlineData("https://evil.example/x", "graph")]
    [InlineData("https://evil.example/x", "https://graph.microsoft.com")]
    [InlineData("https://evil.example/x", "https://graph.microsoft.com/.default")]
    [InlineData("https://evil.example/x", "graph.microsoft.com")]
    [InlineData("https://evil.example/x", "HTTPS://GRAPH.MICROSOFT.COM/")]
    [InlineData("https://evil.example/x", "http://graph.microsoft.com")]
    [InlineData("https://evil.example/x", "api://graph.microsoft.com")]
    [InlineData("https://evil.example/x", "00000003-0000-0000-c000-000000000000")]
    [InlineData("https://evil.example/x", "api://00000003-0000-0000-c000-000000000000")]
    [InlineData("https://evil.example/x", "https://graph.microsoft.us")]
    [InlineData("https://evil.example/x", "https://dod-graph.microsoft.us")]
    [InlineData("https://evil.example/x", "https://microsoftgraph.chinacloudapi.cn")]
    [InlineData("https://evil.example/x", "https://canary.graph.microsoft.com")]
    [InlineData("https://evil.example/x", "SharePoint")]
    [InlineData("https://evil.example/x", "SharePointAdmin")]
    [InlineData("https://evil.example/x", "SharePointMy")]
    [InlineData("https://evil.example/x", "https://contoso.sharepoint.com")]
    [InlineData("https://evil.example/x", "https://contoso-admin.sharepoint.us")]
    [InlineData("https://evil.example/x", "00000003-0000-0ff1-ce00-000000000000")]
    [InlineData("https://evil.example/x", "Management")]
    [InlineData("https://evil.example/x", "https://manage.office.com")]
    [InlineData("https://evil.example/x", "c5393580-f805-4401-95e8-94b7a6ef2fc2")]
    [InlineData("https://evil.example/x", "AzureManagement")]
    [InlineData("https://evil.example/x", "https://management.azure.com/")]
    [InlineData("https://evil.example/x", "https://management.usgovcloudapi.net/")]
    [InlineData("https://evil.example/x", "797f4846-ba00-4fd7-ba43-dac1f8f63013")]
    [InlineData("https://evil.example/x", "Yammer")]
    [InlineData("https://evil.example/x", "https://api.yammer.com")]
    [InlineData("https://evil.example/x", "AadGraph")]
    [InlineData("https://evil.example/x", "https://graph.windows.net")]
    [InlineData("https://evil.example/x", "https://graph.microsoftazure.us")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "Graph")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "SharePoint")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "https://contoso.sharepoint.com")]
    [InlineData("https://contoso.sharepoint.com/_api/web", "SharePointAdmin")]
    [InlineData("https://fabrikam.sharepoint.com/_api/web", "SharePoint")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "SharePoint")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "https://manage.office.com")]
    [InlineData("https://manage.office.com/api/v1.0", "Graph")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "api://contoso-api")]
    [InlineData("https://contoso.sharepoint.com/_api/web", "api://contoso-api")]
    [InlineData("https://graph.microsoft.us/v1.0/me", "api://contoso-api")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "6e0c8f1b-56a2-4f21-bc1e-0c8f6b0b4a11")]
    public void AMicrosoftAudienceAndAnotherHostAreRefused(string url, string audience)
    {
        var error = Assert.Throws<M365Exception>(() => Resolver.ForAudience(new Uri(url), audience));

        Assert.Equal(ResourceErrorIds.ResourceHostMismatch, error.ErrorId);
        Assert.Contains("nothing was sent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/me", "Graph")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "https://graph.microsoft.com/")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "00000003-0000-0000-c000-000000000000")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "SharePointAdmin")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "https://contoso-admin.sharepoint.com")]
    [InlineData("https://contoso-my.sharepoint.com/personal/a", "00000003-0000-0ff1-ce00-000000000000")]
    [InlineData("https://api.yammer.com/api/v1/users.json", "Yammer")]
    [InlineData("https://management.azure.com/subscriptions", "AzureManagement")]
    public void AMicrosoftAudienceForItsOwnHostIsThatHostsResource(string url, string audience)
    {
        M365Resource resource = Resolver.ForAudience(new Uri(url), audience);

        Assert.Equal(Resolver.FromUrl(new Uri(url)), resource);
    }

    [Theory]
    [InlineData("api://contoso-api", "api://contoso-api")]
    [InlineData("api://contoso-api/", "api://contoso-api")]
    [InlineData("6e0c8f1b-56a2-4f21-bc1e-0c8f6b0b4a11", "6e0c8f1b-56a2-4f21-bc1e-0c8f6b0b4a11")]
    [InlineData("https://contoso.example/api", "https://contoso.example/api")]
    public void YourOwnAudienceIsBoundToTheRequestHostOnly(string audience, string resourceId)
    {
        var url = new Uri("https://api.contoso.example/items");

        M365Resource resource = Resolver.ForAudience(url, audience);

        Assert.Equal(resourceId, resource.ResourceId);
        Assert.Equal(resourceId + "/.default", resource.Scope);
        Assert.True(resource.Covers(url));
        Assert.False(resource.Covers(new Uri("https://evil.example/items")));
        Assert.False(resource.Covers(new Uri("https://graph.microsoft.com/v1.0/me")));
    }

    [Fact]
    public void YourOwnAudienceNeedsAnHttpsUrl()
    {
        var error = Assert.Throws<M365Exception>(() => Resolver.ForAudience(new Uri("http://api.contoso.example/items"), "api://contoso-api"));

        Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, error.ErrorId);
    }

    [Theory]
    [InlineData("api://contoso-api", "api://contoso-api")]
    [InlineData("API://Contoso-Api/", "API://Contoso-Api")]
    [InlineData("6E0C8F1B-56A2-4F21-BC1E-0C8F6B0B4A11", "6e0c8f1b-56a2-4f21-bc1e-0c8f6b0b4a11")]
    public void AnAppIdUriOrAppIdNamesATokenThatCoversNoUrl(string name, string resourceId)
    {
        M365Resource resource = Resolver.FromName(name);

        Assert.Equal(ResourceKind.Other, resource.Kind);
        Assert.Equal(resourceId, resource.ResourceId);
        Assert.Equal(resourceId + "/.default", resource.Scope);
        Assert.False(resource.HasOrigin);
        Assert.False(resource.Covers(new Uri("https://graph.microsoft.com/v1.0/me")));
        Assert.False(resource.Covers(new Uri("https://contoso-api/")));
    }

    [Theory]
    [InlineData("00000003-0000-0000-c000-000000000000", ResourceKind.Graph)]
    [InlineData("00000003-0000-0ff1-ce00-000000000000", ResourceKind.SharePoint)]
    public void AMicrosoftAppIdIsItsService(string name, ResourceKind kind) =>
        Assert.Equal(kind, Resolver.FromName(name).Kind);

    [Theory]
    [InlineData("contoso-api")]
    [InlineData("Grpah")]
    [InlineData("file:///etc/passwd")]
    public void AnythingElseIsStillAnUnknownName(string name) =>
        Assert.Equal(ResourceErrorIds.ResourceNameUnknown, Assert.Throws<M365Exception>(() => Resolver.FromName(name)).ErrorId);
}
