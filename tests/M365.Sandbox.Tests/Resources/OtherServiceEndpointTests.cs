using System.Net;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class OtherServiceEndpointTests
{
    private readonly ResourceSandboxFixture _sandbox;

    public OtherServiceEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    [Theory]
    [InlineData("https://www.yammer.com")]
    [InlineData("https://api.yammer.com")]
    public async Task Yammer_current_user_answers_a_user_token(string origin)
    {
        using var response = await _sandbox.GetAsync($"{origin}/api/v1/users/current.json", _sandbox.UserToken("https://www.yammer.com", "user_impersonation"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await ResourceSandboxFixture.JsonAsync(response);
        Assert.Equal(_sandbox.Seed.Admin.UserPrincipalName, user.GetProperty("email").GetString());
        Assert.Equal(_sandbox.Seed.Admin.DisplayName, user.GetProperty("full_name").GetString());
        Assert.True(user.GetProperty("id").GetInt64() > 0);
        Assert.True(user.GetProperty("network_id").GetInt64() > 0);
    }

    [Fact]
    public async Task Yammer_refuses_app_only_tokens_with_401_json()
    {
        using var response = await _sandbox.GetAsync("https://www.yammer.com/api/v1/users/current.json", _sandbox.AppToken("https://www.yammer.com"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("fail", (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("response").GetProperty("stat").GetString());
    }

    [Fact]
    public async Task Service_health_lists_operational_workloads_for_the_own_tenant_only()
    {
        var token = _sandbox.AppToken("https://manage.office.com", "ServiceHealth.Read");
        using var response = await _sandbox.GetAsync($"https://manage.office.com/api/v1.0/{_sandbox.Host.TenantId}/ServiceComms/CurrentStatus", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workloads = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").EnumerateArray().ToArray();
        Assert.Contains(workloads, w => w.GetProperty("Workload").GetString() == "SharePoint");
        Assert.All(workloads, w => Assert.Equal("ServiceOperational", w.GetProperty("Status").GetString()));

        using var other = await _sandbox.GetAsync($"https://manage.office.com/api/v1.0/{Guid.NewGuid()}/ServiceComms/CurrentStatus", token);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        using var noRole = await _sandbox.GetAsync($"https://manage.office.com/api/v1.0/{_sandbox.Host.TenantId}/ServiceComms/CurrentStatus", _sandbox.AppToken("https://manage.office.com"));
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
    }

    [Fact]
    public async Task Azure_subscriptions_need_an_api_version()
    {
        var token = _sandbox.UserToken("https://management.azure.com/", "user_impersonation");
        using var missing = await _sandbox.GetAsync("https://management.azure.com/subscriptions", token);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("MissingApiVersionParameter", (await ResourceSandboxFixture.JsonAsync(missing)).GetProperty("error").GetProperty("code").GetString());

        using var response = await _sandbox.GetAsync("https://management.azure.com/subscriptions?api-version=2022-12-01", token);
        var subscription = Assert.Single((await ResourceSandboxFixture.JsonAsync(response)).GetProperty("value").EnumerateArray());
        Assert.Equal(_sandbox.Host.TenantId.ToString(), subscription.GetProperty("tenantId").GetString());
        Assert.Equal("Enabled", subscription.GetProperty("state").GetString());
        Assert.StartsWith("/subscriptions/", subscription.GetProperty("id").GetString());
    }
}
