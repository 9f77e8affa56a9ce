using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class CsomSiteCreationTests
{
    private const string Admin = "https://contoso-admin.sharepoint.com";
    private readonly ResourceSandboxFixture _sandbox;

    public CsomSiteCreationTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private string Token => _sandbox.UserToken(Admin, "AllSites.FullControl");

    // The request the CLI for Microsoft 365 sends for Tenant.CreateSite.
    private static string CreateSiteXml(string url, long storage = 100, long storageWarning = 100) =>
        "<Request AddExpandoFieldTypeSuffix=\"true\" SchemaVersion=\"15.0.0.0\" LibraryVersion=\"16.0.0.0\" ApplicationName=\"M365\" xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\">"
        + "<Actions><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><ObjectPath Id=\"6\" ObjectPathId=\"5\" /><Query Id=\"7\" ObjectPathId=\"3\"><Query SelectAllProperties=\"true\"><Properties /></Query></Query>"
        + "<Query Id=\"8\" ObjectPathId=\"5\"><Query SelectAllProperties=\"false\"><Properties><Property Name=\"IsComplete\" ScalarProperty=\"true\" /><Property Name=\"PollingInterval\" ScalarProperty=\"true\" /></Properties></Query></Query></Actions>"
        + "<ObjectPaths><Constructor Id=\"3\" TypeId=\"{268004ae-ef6b-4e9b-8425-127220d84719}\" /><Method Id=\"5\" ParentId=\"3\" Name=\"CreateSite\"><Parameters><Parameter TypeId=\"{11f84fff-b8cf-47b6-8b50-34e692656606}\">"
        + "<Property Name=\"CompatibilityLevel\" Type=\"Int32\">0</Property><Property Name=\"Lcid\" Type=\"UInt32\">1033</Property><Property Name=\"Owner\" Type=\"String\">admin@contoso.onmicrosoft.com</Property>"
        + $"<Property Name=\"StorageMaximumLevel\" Type=\"Int64\">{storage}</Property><Property Name=\"StorageWarningLevel\" Type=\"Int64\">{storageWarning}</Property><Property Name=\"Template\" Type=\"String\">STS#0</Property>"
        + "<Property Name=\"TimeZoneId\" Type=\"Int32\">4</Property><Property Name=\"Title\" Type=\"String\">Classic</Property>"
        + $"<Property Name=\"Url\" Type=\"String\">{SecurityElement.Escape(url)}</Property><Property Name=\"UserCodeMaximumLevel\" Type=\"Double\">0</Property><Property Name=\"UserCodeWarningLevel\" Type=\"Double\">0</Property>"
        + "</Parameter></Parameters></Method></ObjectPaths></Request>";

    // The poll the CLI sends: the identity's newlines become &#xA; and its quotes are dropped.
    private static string PollXml(string identity) =>
        "<Request AddExpandoFieldTypeSuffix=\"true\" SchemaVersion=\"15.0.0.0\" LibraryVersion=\"16.0.0.0\" ApplicationName=\"M365\" xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\">"
        + "<Actions><Query Id=\"188\" ObjectPathId=\"184\"><Query SelectAllProperties=\"false\"><Properties><Property Name=\"IsComplete\" ScalarProperty=\"true\" /><Property Name=\"PollingInterval\" ScalarProperty=\"true\" /></Properties></Query></Query></Actions>"
        + $"<ObjectPaths><Identity Id=\"184\" Name=\"{JsonSerializer.Serialize(identity).Trim('"').Replace("\\n", "&#xA;")}\" /></ObjectPaths></Request>";

    [Fact]
    public async Task CreateSite_returns_an_operation_that_completes_after_the_delay()
    {
        var url = $"https://contoso.sharepoint.com/sites/classic-{Guid.NewGuid():N}";
        var answer = await ProcessQueryAsync(CreateSiteXml(url));
        Assert.Equal(JsonValueKind.Null, answer[0].GetProperty("ErrorInfo").ValueKind);
        Assert.Equal(9, answer.GetArrayLength());
        Assert.Equal(4, answer[1].GetInt32());
        Assert.False(answer[2].GetProperty("IsNull").GetBoolean());
        Assert.Equal("Microsoft.Online.SharePoint.TenantAdministration.Tenant", answer[6].GetProperty("_ObjectType_").GetString());
        var operation = answer[8];
        Assert.Equal("Microsoft.Online.SharePoint.TenantAdministration.SpoOperation", operation.GetProperty("_ObjectType_").GetString());
        Assert.False(operation.GetProperty("IsComplete").GetBoolean());
        Assert.True(operation.GetProperty("PollingInterval").GetInt32() > 0);
        var identity = operation.GetProperty("_ObjectIdentity_").GetString()!;
        Assert.Contains("\nSpoOperation\nSiteCreation\n", identity);

        var pending = await ProcessQueryAsync(PollXml(identity));
        Assert.False(pending[pending.GetArrayLength() - 1].GetProperty("IsComplete").GetBoolean());

        _sandbox.Clock.Advance(ResourceSandboxFixture.ProvisioningDelay + TimeSpan.FromSeconds(1));
        var done = await ProcessQueryAsync(PollXml(identity));
        Assert.Equal(188, done[1].GetInt32());
        Assert.True(done[done.GetArrayLength() - 1].GetProperty("IsComplete").GetBoolean());

        var duplicate = await ProcessQueryAsync(CreateSiteXml(url));
        Assert.Equal(1, duplicate.GetArrayLength());
        var error = duplicate[0].GetProperty("ErrorInfo");
        Assert.Equal(-2147024713, error.GetProperty("ErrorCode").GetInt32());
        Assert.Equal("Microsoft.SharePoint.SPException", error.GetProperty("ErrorTypeName").GetString());
        Assert.Equal($"A site already exists at url {url}.", error.GetProperty("ErrorMessage").GetString());
    }

    [Fact]
    public async Task A_warning_level_above_its_quota_is_an_argument_error()
    {
        var answer = await ProcessQueryAsync(CreateSiteXml($"https://contoso.sharepoint.com/sites/q-{Guid.NewGuid():N}", storage: 100, storageWarning: 200));
        Assert.Equal("System.ArgumentException", answer[0].GetProperty("ErrorInfo").GetProperty("ErrorTypeName").GetString());
    }

    [Theory]
    [InlineData("<Request xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\"><Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /></Actions><ObjectPaths><StaticProperty Id=\"1\" TypeId=\"{3747adcd-a3c3-41b9-bfab-4a64dd2f1e0a}\" Name=\"Current\" /></ObjectPaths></Request>")]
    [InlineData("<Request xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\"><Actions><Query Id=\"2\" ObjectPathId=\"1\" /></Actions><ObjectPaths><Identity Id=\"1\" Name=\"nope\" /></ObjectPaths></Request>")]
    [InlineData("<Request><unclosed></Request>")]
    public async Task Unsupported_or_malformed_requests_get_ErrorInfo(string xml)
    {
        var answer = await ProcessQueryAsync(xml);
        Assert.Equal(1, answer.GetArrayLength());
        Assert.Equal(JsonValueKind.Object, answer[0].GetProperty("ErrorInfo").ValueKind);
    }

    [Fact]
    public async Task Tenant_administration_needs_an_admin_host_token()
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Admin}/_vti_bin/client.svc/ProcessQuery", _sandbox.UserToken("https://contoso.sharepoint.com", "AllSites.FullControl"),
            new StringContent(CreateSiteXml("https://contoso.sharepoint.com/sites/x"), Encoding.UTF8, "text/xml"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonElement> ProcessQueryAsync(string xml)
    {
        using var response = await _sandbox.SendAsync(HttpMethod.Post, $"{Admin}/_vti_bin/client.svc/ProcessQuery", Token, new StringContent(xml, Encoding.UTF8, "text/xml"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ResourceSandboxFixture.JsonAsync(response);
    }
}
