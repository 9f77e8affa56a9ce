using System.Net;
using System.Net.Http.Json;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class SiteProvisioningControlTests
{
    private const string Tenant = "https://contoso.sharepoint.com";
    private readonly ResourceSandboxFixture _sandbox;

    public SiteProvisioningControlTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task The_control_API_sets_the_provisioning_time_of_sites_created_afterwards()
    {
        var token = _sandbox.UserToken(Tenant, "AllSites.FullControl");
        var control = _sandbox.Host.ControlUrl + "/sites/provisioning";
        try
        {
            using var set = await _sandbox.Http.PutAsJsonAsync(control, new { seconds = 5 });
            using var bad = await _sandbox.Http.PutAsJsonAsync(control, new { seconds = -1 });
            var read = await _sandbox.Http.GetFromJsonAsync<Dictionary<string, double>>(control);
            var url = $"{Tenant}/sites/timed-{Guid.NewGuid():N}";
            using var created = await _sandbox.PostJsonAsync($"{Tenant}/_api/SPSiteManager/Create", token, new { request = new { Title = "Timed", Url = url } });
            var provisioning = (await ResourceSandboxFixture.JsonAsync(created)).GetProperty("SiteStatus").GetInt32();
            _sandbox.Clock.Advance(TimeSpan.FromSeconds(5));
            using var status = await _sandbox.GetAsync($"{Tenant}/_api/SPSiteManager/status?url='{Uri.EscapeDataString(url)}'", token);

            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(5, read!["seconds"]);
            Assert.Equal(1, provisioning);
            Assert.Equal(2, (await ResourceSandboxFixture.JsonAsync(status)).GetProperty("SiteStatus").GetInt32());
        }
        finally
        {
            _sandbox.Host.SiteProvisioningDelay = ResourceSandboxFixture.ProvisioningDelay;
        }
    }
}
