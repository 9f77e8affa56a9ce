using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Diagnostics;
using M365.Core.Resources;
using M365.Core.Tests.Integration;
using M365.Sandbox.Directory;

namespace M365.Core.Tests.Diagnostics;

/// <summary>
/// The connection doctor against the in-process sandbox: a healthy app-only connection, one whose app lost its roles, a
/// delegated one whose consent was withdrawn, and one whose refresh token was revoked. It never throws for a broken
/// connection, never shows a token, and sends only token requests and GETs.
/// </summary>
public sealed class ConnectionDoctorSandboxTests : IClassFixture<ConnectionDoctorSandboxTests.Fixture>
{
    private readonly Fixture _fixture;

    public ConnectionDoctorSandboxTests(Fixture fixture)
    {
        _fixture = fixture;
        fixture.Reset();
    }

    public sealed class Fixture : SandboxConnectionFixture
    {
        protected override int ServicePrincipalCount => 10;

        public async Task<Connection> ConnectAsync(SignInOptions options) => await new ConnectionFactory(Transport).ConnectAsync(options);

        public SignInOptions Admin()
        {
            SeededUser admin = Sandbox.Seed.Users.First(u => u.IsAdmin);
            return new SignInOptions
            {
                AuthenticationType = AuthenticationType.Credential,
                AppId = SandboxSeed.PnpManagementShellAppId.ToString(),
                UserName = admin.UserPrincipalName,
                Password = Secure(admin.Password!),
                Tenant = Sandbox.TenantId.ToString(),
            };
        }

        public SignInOptions Automation() => SignIn();
    }

    [Fact]
    public async Task AHealthyAppOnlyConnectionPassesItsTokenAndPermissionChecksAndShowsNoToken()
    {
        Connection connection = await _fixture.ConnectAsync(_fixture.Automation());

        DiagnosticsReport report = await ConnectionDoctor.RunAsync(connection, new DiagnosticsOptions { ModuleVersion = "9.9.9", PowerShellVersion = "7.6.9 (Core)" });

        Assert.Empty(report.Errors);
        var checks = report.Checks;
        Assert.Equal(CheckResult.Pass, Single(checks, "AppId").Result);
        Assert.Contains("AppIdSource Parameter", Single(checks, "AppId").Evidence, StringComparison.Ordinal);
        Assert.Equal("9.9.9", Single(checks, "ModuleVersion").Evidence);
        Assert.Equal(CheckResult.Pass, Single(checks, "Token", "Graph").Result);
        Assert.Contains("App roles (roles): ", Single(checks, "Permissions", "Graph").Evidence, StringComparison.Ordinal);
        Assert.Equal(CheckResult.Pass, Single(checks, "Permission:Get-M365AadSp").Result);
        Assert.Equal(CheckResult.Warning, Single(checks, "Permission:Get-M365SpoSite").Result);
        Assert.Equal(CheckResult.Pass, Single(checks, "AppRegistration").Result);
        Assert.Equal(CheckResult.Pass, Single(checks, "SessionErrors").Result);
        Assert.DoesNotContain(checks, c => c.Result == CheckResult.Fail);
        AssertNoToken(connection, checks);
        Assert.All(_fixture.Sandbox.GetRequestLog(), entry => Assert.True(entry.Method == "GET" || entry.IsTokenRequest, entry.Method + " " + entry.Path));
    }

    [Fact]
    public async Task AnAppOnlyConnectionWithoutItsRolesFailsThePermissionCheckWithTheRoleToAdd()
    {
        Connection connection = await _fixture.ConnectAsync(_fixture.Automation());
        _fixture.Sandbox.WithdrawConsent(SandboxSeed.AutomationAppId, "graph");
        try
        {
            DiagnosticsReport report = await ConnectionDoctor.RunAsync(connection);

            ConnectionCheck permission = Single(report.Checks, "Permission:Get-M365AadSp");
            Assert.Equal(CheckResult.Fail, permission.Result);
            Assert.Contains("Application.Read.All", permission.Fix, StringComparison.Ordinal);
            Assert.Contains("(Application)", permission.Fix, StringComparison.Ordinal);
            Assert.Equal(CheckResult.Warning, Single(report.Checks, "Permissions", "Graph").Result);

            // Without its roles the app cannot read its own registration: a Warning that says so, never a failure of the run.
            ConnectionCheck registration = Single(report.Checks, "AppRegistration");
            Assert.Equal(CheckResult.Warning, registration.Result);
            Assert.Contains("403", registration.Evidence, StringComparison.Ordinal);
        }
        finally
        {
            _fixture.Sandbox.RestoreConsent(SandboxSeed.AutomationAppId);
        }
    }

    [Fact]
    public async Task AWithdrawnConsentFailsTheTokenCheckWithConsentRequiredAndIsListedAsASessionError()
    {
        SignInOptions options = _fixture.Admin();
        options.AppId = null; // the built-in default, the PnP Management Shell app
        Connection connection = await _fixture.ConnectAsync(options);
        await connection.ResolveResourceAsync("SharePoint");
        await connection.Tokens.GetTokenAsync(connection.Resources.FromName("SharePoint"));
        _fixture.Sandbox.WithdrawConsent(SandboxSeed.PnpManagementShellAppId, "sharepoint");
        try
        {
            DiagnosticsReport report = await ConnectionDoctor.RunAsync(connection);

            ConnectionCheck token = Single(report.Checks, "Token", "SharePoint");
            Assert.Equal(CheckResult.Fail, token.Result);
            Assert.Contains(AuthenticationErrorIds.ConsentRequired, token.Evidence, StringComparison.Ordinal);
            Assert.Contains("AADSTS65001", token.Evidence, StringComparison.Ordinal);
            Assert.Contains("consent", token.Fix, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(CheckResult.Pass, Single(report.Checks, "Token", "Graph").Result);
            Assert.Equal(CheckResult.Warning, Single(report.Checks, "Permission:Add-M365SpoSite").Result);
            ConnectionCheck errors = Single(report.Checks, "SessionErrors");
            Assert.Equal(CheckResult.Warning, errors.Result);
            Assert.Contains("ConsentRequired (AADSTS65001)", errors.Evidence, StringComparison.Ordinal);
            Assert.Equal(CheckResult.Pass, Single(report.Checks, "PublicClientFlows").Result);
            Assert.Equal(CheckResult.Warning, Single(report.Checks, "AppId").Result);
            Assert.Contains("AppIdSource Default", Single(report.Checks, "AppId").Evidence, StringComparison.Ordinal);
            Assert.Contains("Set-M365Setting -AppId", Single(report.Checks, "AppId").Fix, StringComparison.Ordinal);
            AssertNoToken(connection, report.Checks);
        }
        finally
        {
            _fixture.Sandbox.RestoreConsent(SandboxSeed.PnpManagementShellAppId);
        }
    }

    [Fact]
    public async Task ARevokedRefreshTokenFailsEveryTokenCheckWithReauthenticationRequired()
    {
        Connection connection = await _fixture.ConnectAsync(_fixture.Admin());
        _fixture.Sandbox.RevokeRefreshTokens(connection.Identity);

        DiagnosticsReport report = await ConnectionDoctor.RunAsync(connection, new DiagnosticsOptions { Resources = new[] { "Graph" } });

        ConnectionCheck token = Single(report.Checks, "Token", "Graph");
        Assert.Equal(CheckResult.Fail, token.Result);
        Assert.Contains(AuthenticationErrorIds.ReauthenticationRequired, token.Evidence, StringComparison.Ordinal);
        Assert.Contains("Connect-M365", token.Fix, StringComparison.Ordinal);
        Assert.Equal(CheckResult.Warning, Single(report.Checks, "AppRegistration").Result);
        Assert.Contains("ReauthenticationRequired", Single(report.Checks, "SessionErrors").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownResourceNameIsAnErrorAndTheOtherResourcesAreStillChecked()
    {
        Connection connection = await _fixture.ConnectAsync(_fixture.Automation());

        DiagnosticsReport report = await ConnectionDoctor.RunAsync(connection, new DiagnosticsOptions { Resources = new[] { "NoSuchService", "Graph" } });

        Assert.Equal(ResourceErrorIds.ResourceNameUnknown, Assert.Single(report.Errors).ErrorId);
        Assert.Equal(CheckResult.Pass, Single(report.Checks, "Token", "Graph").Result);
    }

    [Fact]
    public void TheCmdletPermissionMapCountsBroaderPermissions()
    {
        CmdletPermission sp = CmdletPermissions.All.Single(p => p.Cmdlet == "Get-M365AadSp");
        Assert.True(sp.IsMet(appOnly: false, new[] { "directory.readwrite.all" }));
        Assert.False(sp.IsMet(appOnly: false, new[] { "User.Read" }));
        CmdletPermission site = CmdletPermissions.All.Single(p => p.Cmdlet == "Add-M365SpoSite");
        Assert.True(site.IsMet(appOnly: true, new[] { "Sites.FullControl.All" }));
        Assert.False(site.IsMet(appOnly: true, new[] { "AllSites.FullControl" }));
        Assert.Equal(ResourceKind.SharePoint, site.Resource);
    }

    private static ConnectionCheck Single(IReadOnlyList<ConnectionCheck> checks, string name, string? resource = null) =>
        Assert.Single(checks, c => c.Check == name && (resource is null || c.Resource == resource));

    private static void AssertNoToken(Connection connection, IReadOnlyList<ConnectionCheck> checks)
    {
        string[] tokens = connection.Tokens.Snapshot().Select(info => info.Resource).Select(r => connection.Tokens.GetTokenAsync(r).GetAwaiter().GetResult().Token).ToArray();
        Assert.NotEmpty(tokens);
        foreach (ConnectionCheck check in checks)
        {
            foreach (string token in tokens)
            {
                Assert.DoesNotContain(token, check.Evidence + check.Fix, StringComparison.Ordinal);
                Assert.DoesNotContain(token.Split('.')[1], check.Evidence + check.Fix, StringComparison.Ordinal);
            }
        }
    }
}
