using System.Net;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests;

public sealed class SeedFileTests
{
    [Fact]
    public async Task SeedFileReplacesUsersAndAppsAndTheirConsent()
    {
        var seedFile = Path.Combine(Path.GetTempPath(), $"m365-seed-{Guid.NewGuid():N}.json");
        var appId = Guid.NewGuid();
        await File.WriteAllTextAsync(seedFile, $$"""
            {
              // comments are allowed
              "users": [ { "userPrincipalName": "ops@contoso.onmicrosoft.com", "displayName": "Ops", "password": "Ops-Passw0rd!" } ],
              "apps": [ { "appId": "{{appId}}", "displayName": "Ops Tool", "isPublicClient": true,
                          "delegatedPermissions": { "Graph": [ "User.Read.All" ] } } ]
            }
            """);
        try
        {
            await using var sandbox = await TemporarySandbox.StartAsync(o => o.SeedFile = seedFile);
            Assert.Equal("ops@contoso.onmicrosoft.com", sandbox.Host.Seed.DefaultUser.UserPrincipalName);
            Assert.NotEqual(Guid.Empty, sandbox.Host.Seed.DefaultUser.Id);
            Assert.Null(sandbox.Host.Directory.FindApp(SandboxSeed.PnpManagementShellAppId));

            var response = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "password"), ("client_id", appId.ToString()),
                ("username", "ops@contoso.onmicrosoft.com"), ("password", "Ops-Passw0rd!"), ("scope", "https://graph.microsoft.com/.default"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var token = (await TemporarySandbox.JsonAsync(response)).GetProperty("access_token").GetString()!;
            Assert.Equal("User.Read.All", TemporarySandbox.Claims(token).GetProperty("scp").GetString());
        }
        finally
        {
            File.Delete(seedFile);
        }
    }

    [Fact]
    public async Task SeedFileAppsMayCarryFederatedCredentialsThatTheTokenEndpointHonours()
    {
        var seedFile = Path.Combine(Path.GetTempPath(), $"m365-seed-{Guid.NewGuid():N}.json");
        var appId = Guid.NewGuid();
        await File.WriteAllTextAsync(seedFile, $$"""
            {
              "users": [ { "userPrincipalName": "ops@contoso.onmicrosoft.com" } ],
              "apps": [ { "appId": "{{appId}}", "displayName": "Deployer", "applicationPermissions": { "graph": [ "Sites.Read.All" ] },
                          "federatedIdentityCredentials": [ { "name": "release", "issuer": "https://token.actions.githubusercontent.com",
                                                              "subject": "repo:contoso/automation:environment:release" } ] } ]
            }
            """);
        try
        {
            await using var sandbox = await TemporarySandbox.StartAsync(o => o.SeedFile = seedFile);
            (await Federation.FederationTestKit.ConfigureAsync(sandbox, "github", """{"subject":"repo:contoso/automation:environment:release"}""")).EnsureSuccessStatusCode();
            var assertion = await Federation.FederationTestKit.MintAsync(sandbox, "github");

            var response = await Federation.FederationTestKit.ExchangeAsync(sandbox, assertion, appId);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var token = (await TemporarySandbox.JsonAsync(response)).GetProperty("access_token").GetString()!;
            Assert.Equal("Sites.Read.All", Assert.Single(TemporarySandbox.Claims(token).GetProperty("roles").EnumerateArray()).GetString());
        }
        finally
        {
            File.Delete(seedFile);
        }
    }
}
