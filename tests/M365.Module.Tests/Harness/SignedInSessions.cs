using M365.Sandbox.Directory;

namespace M365.Module.Tests.Harness;

/// <summary>Sessions already connected to the fixture's sandbox.</summary>
internal static class SignedInSessions
{
    /// <summary>An app-only session (the seeded automation app's secret), then <paramref name="then"/>, with an empty request log.</summary>
    public static PowerShellSession AppOnly(SandboxFixture fixture, string then = "")
    {
        var session = new PowerShellSession();
        session.RunOk("Connect-M365 -Sandbox -AppId $appId -Tenant $tenant -ClientSecret $secret; " + then, new Dictionary<string, object?>
        {
            ["appId"] = SandboxSeed.AutomationAppId.ToString(),
            ["tenant"] = fixture.Sandbox.TenantId.ToString(),
            ["secret"] = Secrets.Secure(SandboxSeed.AutomationAppSecret),
        });
        fixture.Sandbox.ResetRequestLog();
        return session;
    }
}
