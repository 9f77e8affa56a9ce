using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Connections;
using M365.Core.Http;
using Xunit.Abstractions;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>
/// Connect with -PersistLogin through real MSAL and MSAL Extensions against the in-memory Entra ID. This machine's keyring
/// decides the branch; each test says which one ran.
/// </summary>
public sealed class TokenCachePersistenceTests : IDisposable
{
    private readonly TempCacheDirectory _temp = new();
    private readonly ITestOutputHelper _output;

    public TokenCachePersistenceTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task WithoutTheUnencryptedSwitchNoKeyringFailsBeforeTheDeviceCodeOrPersistsEncrypted()
    {
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();
        Connection? connection = null;
        M365AuthenticationException? error = null;
        try
        {
            connection = await new ConnectionFactory(transport).ConnectAsync(SignIns.DeviceCode(_temp.Options(allowUnencrypted: false)));
        }
        catch (M365AuthenticationException ex)
        {
            error = ex;
        }

        if (error != null)
        {
            _output.WriteLine("Branch: no keyring here. " + error.Message);
            Assert.Equal(AuthenticationErrorIds.TokenCachePersistenceUnavailable, error.ErrorId);
            Assert.Contains("-AllowUnencryptedTokenCache", error.RecommendedAction);
            Assert.Equal(0, server.DeviceCodeRequests);
            Assert.Empty(server.Handler.Requests);
            Assert.Empty(_temp.Files());
        }
        else
        {
            _output.WriteLine("Branch: a keyring works here; the cache was persisted encrypted.");
            Assert.Equal(TokenCacheProtection.Encrypted, connection!.TokenCacheProtection);
            Assert.Null(connection.TokenCacheWarning);
            Assert.DoesNotContain(_temp.Files().Values, text => text.Contains("rt-", StringComparison.Ordinal));
            await connection.DisconnectAsync();
        }
    }

    [Fact]
    public async Task UnencryptedFallbackWritesAnOwnerOnlyCacheWithoutThePasswordAndWarns()
    {
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        Connection connection = await new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(_temp.Options(allowUnencrypted: true)));
        CachePaths paths = CachePaths.For(_temp.Options(allowUnencrypted: true), "work");
        IReadOnlyDictionary<string, string> files = _temp.Files();

        Assert.True(File.Exists(paths.CacheFile));
        Assert.True(File.Exists(paths.RecordFile));
        Assert.DoesNotContain(files.Values, text => text.Contains(SignIns.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(files.Keys, name => name.StartsWith("persistence-check", StringComparison.Ordinal));
        if (connection.TokenCacheProtection == TokenCacheProtection.Unencrypted)
        {
            _output.WriteLine("Branch: no keyring here; plaintext fallback at " + paths.CacheFile);
            Assert.Contains("\"RefreshToken\"", File.ReadAllText(paths.CacheFile));
            Assert.Contains("UNENCRYPTED", connection.TokenCacheWarning);
            Assert.Contains(paths.CacheFile, connection.TokenCacheWarning);
            Assert.Contains("Disconnect-M365", connection.TokenCacheWarning);
            Assert.DoesNotContain("rt-", connection.TokenCacheWarning);
        }
        else
        {
            _output.WriteLine("Branch: a keyring works here; the fallback was not needed.");
            Assert.Equal(TokenCacheProtection.Encrypted, connection.TokenCacheProtection);
            Assert.DoesNotContain("\"RefreshToken\"", File.ReadAllText(paths.CacheFile));
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.CacheFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.RecordFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_temp.CacheDirectory));
        }

        // A silent refresh rewrites the cache; it must stay owner-only.
        await connection.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));
        Assert.Equal("refresh_token", server.Grants.Last());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.CacheFile));
        }
    }

    [Fact]
    public async Task ALinkedCacheDirectoryIsRefusedBeforeTheSignIn()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating links needs a privilege on Windows; the check itself is platform-neutral.
        }

        string target = Path.Combine(_temp.Root, "target");
        Directory.CreateDirectory(target);
        Directory.CreateSymbolicLink(_temp.CacheDirectory, target);
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() =>
            new ConnectionFactory(transport).ConnectAsync(SignIns.DeviceCode(_temp.Options(allowUnencrypted: true))));

        Assert.Equal(AuthenticationErrorIds.TokenCachePathInvalid, error.ErrorId);
        Assert.Equal(_temp.CacheDirectory, error.Target);
        Assert.Empty(server.Handler.Requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ALinkedCacheFileIsRefusedAndItsTargetUntouched(bool dangling)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating links needs a privilege on Windows; the check itself is platform-neutral.
        }

        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        CachePaths paths = CachePaths.For(options, "work");
        string target = Path.Combine(_temp.Root, "victim.txt");
        if (!dangling)
        {
            File.WriteAllText(target, "precious");
        }

        Directory.CreateDirectory(_temp.CacheDirectory);
        File.CreateSymbolicLink(paths.CacheFile, target);
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options)));

        Assert.Equal(AuthenticationErrorIds.TokenCachePathInvalid, error.ErrorId);
        Assert.Equal(paths.CacheFile, error.Target);
        Assert.Equal(dangling ? null : "precious", File.Exists(target) ? File.ReadAllText(target) : null);
        Assert.False(File.Exists(paths.RecordFile));
    }

    [Theory]
    [InlineData("AUTOMATION_ASSET_ACCOUNTID", "4f1c2a9e-0000-4000-8000-000000000001")]
    [InlineData("AZUREPS_HOST_ENVIRONMENT", "AzureAutomation/1.0")]
    public async Task NothingIsPersistedInAzureAutomation(string variable, string value)
    {
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        options.ReadEnvironment = name => name == variable ? value : null;
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options)));
        var reconnect = await Assert.ThrowsAsync<M365Exception>(() => new ConnectionFactory(transport).ReconnectAsync("work", options));

        Assert.Equal(AuthenticationErrorIds.TokenCachePersistenceUnavailable, error.ErrorId);
        Assert.Contains("Azure Automation", error.Message);
        Assert.Equal(PersistenceErrorIds.PersistedConnectionNotFound, reconnect.ErrorId);
        Assert.Empty(server.Handler.Requests);
        Assert.False(Directory.Exists(_temp.CacheDirectory));
    }

    [Fact]
    public async Task AppOnlySignInPersistsNothing()
    {
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();
        var options = new SignInOptions
        {
            AuthenticationType = AuthenticationType.ClientSecret,
            AppId = FakeEntraServer.AppId,
            Tenant = FakeEntraServer.TenantId,
            ClientSecret = SignIns.Secure(SignIns.ClientSecret),
            Persistence = _temp.Options(allowUnencrypted: true),
        };

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(options));

        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, error.ErrorId);
        Assert.DoesNotContain(SignIns.ClientSecret, error.Message);
        Assert.Empty(server.Handler.Requests);
        Assert.False(Directory.Exists(_temp.CacheDirectory));
    }

    public void Dispose() => _temp.Dispose();
}
