using System.Management.Automation;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>Connect-M365 -PersistLogin, and a later session resuming it silently with Connect-M365 -Name.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PersistLoginTests : IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "m365-module-cache", Guid.NewGuid().ToString("N"));

    public PersistLoginTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        Environment.SetEnvironmentVariable("M365_TOKEN_CACHE_DIRECTORY", _cache);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("M365_TOKEN_CACHE_DIRECTORY", null);
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public void WithoutAKeyringPersistingNeedsTheExplicitSwitch()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Connect-M365 -Sandbox -Name saved -PersistLogin");
        if (result.Errors.Count == 0 && result.Terminating is null)
        {
            // This machine has a working keyring: then the cache is encrypted and no warning is needed.
            Assert.Equal("Encrypted", session.RunOk("(Get-M365Connection).TokenCache").Output.Single().ToString());
            return;
        }

        var error = result.SingleError("TokenCachePersistenceUnavailable", ErrorCategory.ResourceUnavailable);
        Assert.Contains("-AllowUnencryptedTokenCache", error.Text(), StringComparison.Ordinal);
        // It failed before asking anyone for a device code.
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.EndsWith("/devicecode", StringComparison.Ordinal));
        session.Run("Get-M365Connection").SingleError("ConnectionNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void ALaterSessionResumesThePersistedSignInSilently()
    {
        string identity;
        using (var first = new PowerShellSession())
        {
            var connect = first.RunOk("Connect-M365 -Sandbox -Name saved -PersistLogin -AllowUnencryptedTokenCache -PassThru");
            identity = connect.Output.Single().Str("Identity")!;
            if (connect.Output.Single().Str("TokenCache") == "Unencrypted")
            {
                Assert.Contains(connect.Warnings, w => w.Contains("unencrypted", StringComparison.OrdinalIgnoreCase));
            }

            first.RunOk("Get-M365AccessToken -Resource SharePoint");
        }

        var files = Directory.GetFiles(_cache, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        var record = Assert.Single(files, f => f.EndsWith(".json", StringComparison.Ordinal));
        Assert.DoesNotContain("eyJ", File.ReadAllText(record), StringComparison.Ordinal);

        _fixture.Sandbox.ResetRequestLog();
        using var later = new PowerShellSession();
        Assert.Contains("saved", later.Complete("Connect-M365 -Name sa"));
        var resumed = later.RunOk("Connect-M365 -Sandbox -Name saved -PassThru");
        Assert.Equal(identity, resumed.Output.Single().Str("Identity"));
        Assert.DoesNotContain("devicelogin", resumed.HostText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://contoso.sharepoint.com", later.RunOk("Get-M365AccessToken -Resource SharePoint").Output.Single().Str("Audience"));
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.EndsWith("/devicecode", StringComparison.Ordinal));

        later.RunOk("Disconnect-M365");
        Assert.Empty(Directory.GetFiles(_cache, "*.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void DisconnectByNameDeletesAPersistedSignInThisSessionNeverOpened()
    {
        using (var first = new PowerShellSession())
        {
            first.RunOk("Connect-M365 -Sandbox -Name old -PersistLogin -AllowUnencryptedTokenCache");
        }

        using var other = new PowerShellSession();
        other.RunOk("Disconnect-M365 -Name old -WhatIf");
        Assert.NotEmpty(Directory.GetFiles(_cache, "*.json", SearchOption.AllDirectories));
        other.RunOk("Disconnect-M365 -Name old");
        Assert.Empty(Directory.GetFiles(_cache, "*.json", SearchOption.AllDirectories));
        other.Run("Disconnect-M365 -Name old").SingleError("ConnectionNameNotFound", ErrorCategory.ObjectNotFound);
    }

}
