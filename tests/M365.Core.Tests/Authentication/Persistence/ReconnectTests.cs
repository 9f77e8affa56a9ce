using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>
/// A second session, simulated by a new transport and factory over the same cache directory (MSAL keeps no process-wide
/// user cache, so only the persisted files can carry the sign-in across). Uses the plaintext fallback, which works on
/// every machine; the keyring path differs only in where MSAL Extensions keeps the bytes.
/// </summary>
public sealed class ReconnectTests : IDisposable
{
    private readonly TempCacheDirectory _temp = new();

    [Fact]
    public async Task ANewSessionReconnectsSilentlyFromThePersistedCache()
    {
        var server = new FakeEntraServer();
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        using (HttpTransport first = server.CreateTransport())
        {
            await new ConnectionFactory(first).ConnectAsync(SignIns.DeviceCode(options, name: null));
        }

        int requestsBefore = server.Handler.Requests.Count;
        string name = FakeEntraServer.UserName; // a user's connection is named by its UPN
        using HttpTransport second = server.CreateTransport();

        Connection resumed = await new ConnectionFactory(second).ReconnectAsync(name.ToUpperInvariant(), options);
        AccessToken sharePoint = await resumed.GetTokenAsync(new Uri("https://contoso.sharepoint.com/_api/web"));

        Assert.Equal(name, Assert.Single(PersistedConnections.List(options)).Name);
        Assert.Equal(name, resumed.Name);
        Assert.Equal(FakeEntraServer.UserName, resumed.Identity);
        Assert.Equal(FakeEntraServer.TenantId, resumed.TenantId);
        Assert.Equal(FakeEntraServer.AppId, resumed.AppId);
        Assert.Equal(AuthenticationType.DeviceCode, resumed.AuthType);
        Assert.False(resumed.IsAppOnly);
        Assert.NotEqual(TokenCacheProtection.InMemory, resumed.TokenCacheProtection);
        Assert.Contains(resumed.Tokens.Snapshot(), t => t.Resource.ResourceId == "https://graph.microsoft.com");
        Assert.Equal("https://contoso.sharepoint.com", sharePoint.GetString("aud"));
        Assert.Equal(1, server.DeviceCodeRequests);
        // Graph's access token is still valid in the persisted cache, so the reconnect itself sends nothing; SharePoint
        // then needs the persisted refresh token.
        Assert.Equal(requestsBefore + 1, server.Handler.Requests.Count);
        Assert.Equal("refresh_token", server.Grants.Last());
        Assert.All(server.Handler.Requests, r => Assert.Equal("127.0.0.1", r.Request.RequestUri!.Host));
    }

    [Fact]
    public async Task DisconnectDeletesTheCacheAndTheRecordSoTheNextSessionMustSignIn()
    {
        var server = new FakeEntraServer();
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        using HttpTransport transport = server.CreateTransport();
        Connection connection = await new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options));
        Assert.NotEmpty(_temp.Files());

        await connection.DisconnectAsync();
        var reconnect = await Assert.ThrowsAsync<M365Exception>(() => new ConnectionFactory(transport).ReconnectAsync("work", options));
        var reuse = await Assert.ThrowsAsync<M365AuthenticationException>(() => connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/me")));

        Assert.Empty(_temp.Files());
        Assert.Empty(PersistedConnections.List(options));
        Assert.Empty(connection.Tokens.Snapshot());
        Assert.Equal(PersistenceErrorIds.PersistedConnectionNotFound, reconnect.ErrorId);
        Assert.Equal(AuthenticationErrorIds.ConnectionClosed, reuse.ErrorId);
    }

    [Fact]
    public async Task RemoveDeletesAPersistedConnectionThisSessionNeverOpened()
    {
        var server = new FakeEntraServer();
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        using HttpTransport transport = server.CreateTransport();
        await new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options));

        bool removed = await PersistedConnections.RemoveAsync("Work", options);
        bool again = await PersistedConnections.RemoveAsync("work", options);

        Assert.True(removed);
        Assert.False(again);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task AnExpiringTokenIsRefreshedWithThePersistedRefreshTokenOnReconnect()
    {
        var server = new FakeEntraServer { AccessTokenLifetimeSeconds = 120 };
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        using (HttpTransport first = server.CreateTransport())
        {
            await new ConnectionFactory(first).ConnectAsync(SignIns.Credential(options));
        }

        server.AccessTokenLifetimeSeconds = 3600;
        using HttpTransport second = server.CreateTransport();
        Connection resumed = await new ConnectionFactory(second).ReconnectAsync("work", options);

        Assert.Equal(new[] { "password", "refresh_token" }, server.Grants);
        Assert.True(Assert.Single(resumed.Tokens.Snapshot()).ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task ARevokedSignInOrAnEmptiedCacheAsksForConnectAgain()
    {
        var server = new FakeEntraServer { AccessTokenLifetimeSeconds = 120 };
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        using HttpTransport transport = server.CreateTransport();
        await new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options, "revoked"));
        await new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options, "emptied"));
        File.WriteAllText(CachePaths.For(options, "emptied").CacheFile, "{}");
        server.RevokeRefreshTokens = true;

        var revoked = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ReconnectAsync("revoked", options));
        var emptied = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ReconnectAsync("emptied", options));

        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, revoked.ErrorId);
        Assert.Equal(700082, revoked.AadstsCode);
        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, emptied.ErrorId);
        Assert.Contains("Connect-M365", emptied.RecommendedAction);
        Assert.DoesNotContain("rt-", revoked.Message + emptied.Message);
    }

    [Fact]
    public async Task ASandboxConnectionIsNotResumedAgainstTheRealCloud()
    {
        var server = new FakeEntraServer();
        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        options.SandboxDescriptorPath = "/tmp/sandbox.json";
        using (HttpTransport sandbox = server.CreateTransport())
        {
            await new ConnectionFactory(sandbox).ConnectAsync(SignIns.Credential(options));
        }

        int before = server.Handler.Requests.Count;
        var production = new FakeHttpHandler();
        using HttpTransport real = HttpTransport.CreateWithHandler(production);

        var error = await Assert.ThrowsAsync<M365Exception>(() => new ConnectionFactory(real).ReconnectAsync("work", options));

        Assert.Equal(PersistenceErrorIds.PersistedConnectionInvalid, error.ErrorId);
        Assert.Contains("-Sandbox", error.RecommendedAction);
        Assert.Equal("/tmp/sandbox.json", PersistedConnections.Find("work", options).SandboxDescriptorPath);
        Assert.Empty(production.Requests);
        Assert.Equal(before, server.Handler.Requests.Count);
    }

    public void Dispose() => _temp.Dispose();
}
