using M365.Core.Tests.Integration;

namespace M365.Core.Tests.Services;

/// <summary>A sandbox tenant with 50,000 generated service principals and an app-only connection to it.</summary>
public sealed class LargeTenantFixture : SandboxConnectionFixture
{
    protected override int ServicePrincipalCount => 50_000;
}
