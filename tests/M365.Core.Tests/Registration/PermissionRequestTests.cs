using System.Text.Json;
using M365.Core.Clouds;
using M365.Core.Registration;

namespace M365.Core.Tests.Registration;

public sealed class PermissionRequestTests
{
    [Fact]
    public void TheDefaultSetIsTheIssuesListWithoutAzureAdGraph()
    {
        var permissions = PermissionRequest.Parse(null);
        Assert.Equal(17, permissions.Count);
        Assert.Equal(new[] { "SharePoint", "Graph", "Management", "AzureServiceManagement", "Yammer" }, permissions.Select(p => p.Resource.Name).Distinct());
        Assert.Contains(permissions, p => p.ToString() == "Graph/Directory.AccessAsUser.All");
        Assert.DoesNotContain(permissions, p => p.Resource.AppId == "00000002-0000-0000-c000-000000000000");
    }

    [Fact]
    public void PresetsAndExplicitValuesCombineWithoutRepeats()
    {
        var permissions = PermissionRequest.Parse(new[] { "Minimal", "graph/user.read", "Graph/Sites.Read.All", "SharePoint/AllSites.Read" });
        Assert.Equal(new[] { "Graph/User.Read", "Graph/Sites.Read.All", "SharePoint/AllSites.Read" }, permissions.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("User.Read")]
    [InlineData("AadGraph/User.Read")]
    [InlineData("Graph/")]
    public void AValueThatIsNeitherAPresetNorResourceSlashNameIsPermissionNotFound(string value)
    {
        var error = Assert.Throws<M365Exception>(() => PermissionRequest.Parse(new[] { value }));
        Assert.Equal(RegistrationErrorIds.PermissionNotFound, error.ErrorId);
        Assert.Equal(value, error.Target);
    }

    [Fact]
    public void TheClosestNamesComeFirst()
    {
        var closest = ClosestNames.Find("User.Reed", new[] { "Mail.Send", "User.Read", "User.Read.All", "Group.ReadWrite.All" });
        Assert.Equal(new[] { "User.Read", "User.Read.All", "Mail.Send" }, closest);
    }

    [Fact]
    public void TheAdminConsentUrlUsesTheCloudsLoginHostAndEncodesEachPart()
    {
        string url = AdminConsentUrl.For(CloudEnvironment.Public, "contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555",
            new[] { RegisteredResource.Graph.AppId, RegisteredResource.SharePoint.AppId });
        Assert.Equal(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent?client_id=11111111-2222-3333-4444-555555555555"
            + "&scope=00000003-0000-0000-c000-000000000000%2F.default%2000000003-0000-0ff1-ce00-000000000000%2F.default"
            + "&redirect_uri=https%3A%2F%2Flogin.microsoftonline.com%2Fcommon%2Foauth2%2Fnativeclient",
            url);
    }

    [Fact]
    public void AnAppThatHasEverythingNeedsNoPatchAndOneThatLacksAScopeGetsItAdded()
    {
        var resources = new[] { new ResolvedResource(RegisteredResource.Graph, "sp-graph", new[] { ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d") }) };
        var body = JsonSerializer.Serialize(AppManifest.NewApplication("M365 PowerShell", resources));
        using var created = JsonDocument.Parse(body);
        Assert.True(AppManifest.IsOurs(created.RootElement));
        Assert.Null(AppManifest.Update(created.RootElement, resources));

        var more = new[] { new ResolvedResource(RegisteredResource.Graph, "sp-graph", new[] { ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"), ("Sites.Read.All", "205e70e5-aba6-4c52-a976-6d2d46c48043") }) };
        var patch = AppManifest.Update(created.RootElement, more);
        Assert.NotNull(patch);
        Assert.Equal(new[] { "requiredResourceAccess" }, patch!.Keys);
        Assert.Contains("205e70e5-aba6-4c52-a976-6d2d46c48043", JsonSerializer.Serialize(patch));
        Assert.Contains("e1fe6dd8-ba31-4d61-89e7-88639da4683d", JsonSerializer.Serialize(patch));
    }

    [Fact]
    public void AnAppWithoutTheMarkIsNotOurs()
    {
        using var app = JsonDocument.Parse("{\"displayName\":\"M365 PowerShell\",\"description\":\"someone's\",\"tags\":[]}");
        Assert.False(AppManifest.IsOurs(app.RootElement));
    }
}
