using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;

namespace M365.Core.Tests.Authentication.Persistence;

public sealed class PersistedConnectionsTests : IDisposable
{
    private readonly TempCacheDirectory _temp = new();

    [Fact]
    public void RecordRoundTripsEveryFieldAndIsListedAndFoundIgnoringCase()
    {
        PersistenceOptions options = _temp.Options(allowUnencrypted: false);
        var saved = Record("Work");
        PersistedConnections.Save(saved, CachePaths.For(options, saved.Name));

        PersistedConnection found = PersistedConnections.Find("WORK", options);
        IReadOnlyList<PersistedConnection> listed = PersistedConnections.List(options);

        Assert.Equal("Work", found.Name);
        Assert.Equal("USGov", found.Cloud);
        Assert.Equal("organizations", found.Tenant);
        Assert.Equal(FakeEntraServer.TenantId, found.TenantId);
        Assert.Equal("contoso.onmicrosoft.com", found.TenantDomain);
        Assert.Equal(FakeEntraServer.AppId, found.AppId);
        Assert.Equal(AppIdSource.EntraAppIdVariable, found.AppIdSource);
        Assert.Equal(AuthenticationType.Credential, found.AuthType);
        Assert.Equal(FakeEntraServer.UserName, found.Identity);
        Assert.Equal(FakeEntraServer.UserOid + "." + FakeEntraServer.TenantId, found.AccountId);
        Assert.Equal(TokenCacheProtection.Unencrypted, found.Protection);
        Assert.True(found.UsesSandbox);
        Assert.Equal("/tmp/sandbox.json", found.SandboxDescriptorPath);
        Assert.Equal(saved.SavedOn, found.SavedOn);
        Assert.Equal("Work", Assert.Single(listed).Name);
    }

    [Fact]
    public void RecordIsOwnerOnlyAndNamesNoSecretField()
    {
        PersistenceOptions options = _temp.Options(allowUnencrypted: false);
        CachePaths paths = CachePaths.For(options, "work");
        PersistedConnections.Save(Record("work"), paths);

        string json = File.ReadAllText(paths.RecordFile);

        Assert.DoesNotContain("token", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", json, StringComparison.OrdinalIgnoreCase);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.RecordFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.CacheDirectory));
        }
    }

    [Fact]
    public void MissingDamagedAndMisplacedRecordsFailWithStableIdsAndListSkipsTheDamagedOne()
    {
        PersistenceOptions options = _temp.Options(allowUnencrypted: false);
        PersistedConnections.Save(Record("good"), CachePaths.For(options, "good"));
        File.WriteAllText(CachePaths.For(options, "damaged").RecordFile, "{\"version\":1,\"name\":");
        PersistedConnections.Save(Record("someone-else"), CachePaths.For(options, "misplaced"));

        var missing = Assert.Throws<M365Exception>(() => PersistedConnections.Find("absent", options));
        var damaged = Assert.Throws<M365Exception>(() => PersistedConnections.Find("damaged", options));
        var misplaced = Assert.Throws<M365Exception>(() => PersistedConnections.Find("misplaced", options));

        Assert.Equal(PersistenceErrorIds.PersistedConnectionNotFound, missing.ErrorId);
        Assert.Equal("absent", missing.Target);
        Assert.Contains("Connect-M365 -PersistLogin", missing.RecommendedAction);
        Assert.Equal(PersistenceErrorIds.PersistedConnectionInvalid, damaged.ErrorId);
        Assert.Equal(PersistenceErrorIds.PersistedConnectionInvalid, misplaced.ErrorId);
        Assert.Equal(new[] { "good", "someone-else" }, PersistedConnections.List(options).Select(r => r.Name));
    }

    [Fact]
    public void ARecordThatIsALinkIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating links needs a privilege on Windows; the check itself is platform-neutral (File.GetAttributes).
        }

        PersistenceOptions options = _temp.Options(allowUnencrypted: false);
        string elsewhere = Path.Combine(_temp.Root, "elsewhere.json");
        PersistedConnections.Save(Record("work"), CachePaths.For(options, "real"));
        File.Move(CachePaths.For(options, "real").RecordFile, elsewhere);
        string before = File.ReadAllText(elsewhere);
        File.CreateSymbolicLink(CachePaths.For(options, "work").RecordFile, elsewhere);

        var found = Assert.Throws<M365AuthenticationException>(() => PersistedConnections.Find("work", options));
        var save = Assert.Throws<M365AuthenticationException>(() => PersistedConnections.Save(Record("work"), CachePaths.For(options, "work")));

        Assert.Equal(AuthenticationErrorIds.TokenCachePathInvalid, found.ErrorId);
        Assert.Equal(AuthenticationErrorIds.TokenCachePathInvalid, save.ErrorId);
        Assert.Empty(PersistedConnections.List(options));
        Assert.Equal(before, File.ReadAllText(elsewhere));
    }

    [Theory]
    [InlineData("truncated", null, null)]
    [InlineData("garbled", null, null)]
    [InlineData("empty", null, null)]
    [InlineData("version", "version", "2")]
    [InlineData("version as text", "version", "\"1\"")]
    [InlineData("numeric authType", "authType", "\"5\"")]
    [InlineData("app-only authType", "authType", "\"ClientSecret\"")]
    [InlineData("appId", "appId", "\"not-a-guid\"")]
    [InlineData("accountId", "accountId", "\"someone\"")]
    [InlineData("tenantId", "tenantId", "\"contoso\"")]
    [InlineData("tenant", "tenant", "\"../../etc\"")]
    [InlineData("cloud", "cloud", "\"Mars\"")]
    [InlineData("protection", "protection", "\"7\"")]
    [InlineData("usesSandbox missing", "usesSandbox", null)]
    [InlineData("usesSandbox as text", "usesSandbox", "\"true\"")]
    [InlineData("production record naming a sandbox", "usesSandbox", "false")]
    [InlineData("savedOn", "savedOn", "\"yesterday\"")]
    public void EveryFieldIsCheckedAndADamagedRecordNamesItsFix(string damage, string? field, string? value)
    {
        PersistenceOptions options = _temp.Options(allowUnencrypted: false);
        CachePaths paths = CachePaths.For(options, "work");
        PersistedConnections.Save(Record("work"), paths);
        string good = File.ReadAllText(paths.RecordFile);
        string bad = damage switch
        {
            "truncated" => good.Substring(0, good.Length / 2),
            "garbled" => "\u0001\u0002 not json at all",
            "empty" => string.Empty,
            _ => Mutate(good, field!, value),
        };
        File.WriteAllText(paths.RecordFile, bad);

        var error = Assert.Throws<M365Exception>(() => PersistedConnections.Find("work", options));

        Assert.Equal(PersistenceErrorIds.PersistedConnectionInvalid, error.ErrorId);
        Assert.Equal("work", error.Target);
        Assert.Contains(paths.RecordFile, error.Message);
        Assert.Contains("Disconnect-M365 -Name 'work'", error.RecommendedAction);
        Assert.Contains("Connect-M365 -PersistLogin -Name 'work'", error.RecommendedAction);
        Assert.True(PersistedConnections.Exists("work", options));
        Assert.False(PersistedConnections.Exists("other", options));
    }

    public void Dispose() => _temp.Dispose();

    private static string Mutate(string json, string field, string? value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        if (value is not null)
        {
            node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        }

        return node.ToJsonString();
    }

    private static PersistedConnection Record(string name) => new(
        name,
        "USGov",
        "organizations",
        FakeEntraServer.TenantId,
        "contoso.onmicrosoft.com",
        FakeEntraServer.AppId,
        AppIdSource.EntraAppIdVariable,
        AuthenticationType.Credential,
        FakeEntraServer.UserName,
        FakeEntraServer.UserOid + "." + FakeEntraServer.TenantId,
        TokenCacheProtection.Unencrypted,
        usesSandbox: true,
        "/tmp/sandbox.json",
        new DateTimeOffset(2025, 11, 24, 7, 30, 15, TimeSpan.Zero));
}
