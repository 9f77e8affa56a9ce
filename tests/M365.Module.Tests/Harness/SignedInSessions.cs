using M365.Sandbox.Directory;

namespace M365.Module.Tests.Harness;

/// <summary>Sessions already connected to the fixture's sandbox.</summary>
internal static class SignedInSessions
{
    /// <summary>A session signed in as the seeded admin (user and password) with tokens for <paramref name="resources"/> already fetched, and an empty request log.</summary>
    public static PowerShellSession Admin(SandboxFixture fixture, string resources = "Graph, SharePoint")
    {
        var session = new PowerShellSession();
        session.RunOk($"Connect-M365 -Sandbox -Credential $cred -WarningAction SilentlyContinue; $null = Get-M365AccessToken -Resource {resources}", new Dictionary<string, object?>
        {
            ["cred"] = new System.Management.Automation.PSCredential("admin@contoso.onmicrosoft.com", Secrets.Secure(SandboxSeed.AdminPassword)),
        });
        fixture.Sandbox.ResetRequestLog();
        return session;
    }

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
