using M365.Core.Authentication;
using M365.Core.Services;
using M365.Core.Services.SharePoint;
using M365.Core.Tests.Integration;

namespace M365.Core.Tests.Services;

/// <summary>What an app-only connection is refused before any request.</summary>
public sealed class AppOnlyServiceTests : IClassFixture<SandboxConnectionFixture>
{
    private readonly SandboxConnectionFixture _fixture;

    public AppOnlyServiceTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    [Fact]
    public async Task TeamSiteOnAnAppOnlyConnectionIsRefusedBeforeAnyRequest()
    {
        var request = new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T", Alias = "apponly" };

        var error = await Assert.ThrowsAsync<M365Exception>(() => new SiteCreationClient(_fixture.Connection).SubmitAsync(request));

        Assert.Equal(ServiceErrorIds.TeamSiteRequiresDelegatedAuth, error.ErrorId);
        Assert.Same(request, error.Target);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }
}
