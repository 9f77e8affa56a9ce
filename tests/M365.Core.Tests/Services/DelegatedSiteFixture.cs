using M365.Core.Authentication;
using M365.Core.Tests.Integration;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Core.Tests.Services;

/// <summary>A sandbox tenant whose sites take 2 s to provision, and the admin user signed in with a password (delegated).</summary>
public sealed class DelegatedSiteFixture : SandboxConnectionFixture
{
    public static readonly TimeSpan ProvisioningTime = TimeSpan.FromSeconds(2);

    protected override int ServicePrincipalCount => 10;

    protected override void Configure(SandboxOptions options) => options.SiteProvisioningSeconds = ProvisioningTime.TotalSeconds;

    protected override SignInOptions SignIn() => new SignInOptions
    {
        AuthenticationType = AuthenticationType.Credential,
        AppId = SandboxSeed.PnpManagementShellAppId.ToString(),
        Tenant = Sandbox.TenantId.ToString(),
        UserName = "admin@" + Sandbox.Hosts.TenantDomain,
        Password = Secure(SandboxSeed.AdminPassword),
    };
}
