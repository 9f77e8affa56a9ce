using System.Diagnostics;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>
/// A cache folder or file made by another user is refused (TokenCacheInsecure), whoever runs: chmod keeps the owner, who
/// could then read the refresh token. These tests hand paths to another user (uid 65534, nobody), so they need root.
/// </summary>
public sealed class ForeignOwnerTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempCacheDirectory _temp = new();

    private static bool CanChown => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    [Fact]
    public async Task ACacheFolderOfAnotherUserIsRefusedBeforeTheSignInAndItsFilesUntouched()
    {
        if (!CanChown)
        {
            return; // Handing a folder to another user needs root; CI and the dev machines run as root.
        }

        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        CachePaths paths = CachePaths.For(options, "work");
        Directory.CreateDirectory(_temp.CacheDirectory);
        File.WriteAllText(paths.CacheFile, string.Empty);
        SetMode(_temp.CacheDirectory, "777");
        SetMode(paths.CacheFile, "666");
        Chown(_temp.CacheDirectory, Nobody);
        Chown(paths.CacheFile, Nobody);
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options)));

        Assert.Equal(AuthenticationErrorIds.TokenCacheInsecure, error.ErrorId);
        Assert.Equal(_temp.CacheDirectory, error.Target);
        Assert.Contains("another user (uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Contains("M365_TOKEN_CACHE_DIRECTORY", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(server.Handler.Requests);
        Assert.Equal(string.Empty, File.ReadAllText(paths.CacheFile));
        Assert.Equal(new[] { Path.GetFileName(paths.CacheFile) }, Directory.EnumerateFiles(_temp.CacheDirectory).Select(Path.GetFileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite, File.GetUnixFileMode(paths.CacheFile));
    }

    [Fact]
    public async Task ACacheFileOfAnotherUserInAFolderOfOurOwnIsRefusedAndNothingIsWritten()
    {
        if (!CanChown)
        {
            return; // See above.
        }

        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        CachePaths paths = CachePaths.For(options, "work");
        Directory.CreateDirectory(_temp.CacheDirectory);
        File.WriteAllText(paths.CacheFile, string.Empty);
        SetMode(paths.CacheFile, "666");
        Chown(paths.CacheFile, Nobody);
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(options)));

        Assert.Equal(AuthenticationErrorIds.TokenCacheInsecure, error.ErrorId);
        Assert.Equal(paths.CacheFile, error.Target);
        Assert.Contains($"Delete '{paths.CacheFile}'", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(string.Empty, File.ReadAllText(paths.CacheFile));
        Assert.False(File.Exists(paths.RecordFile));
    }

    [Fact]
    public async Task AFolderOfOurOwnThatOthersCanWriteIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only.
        }

        Directory.CreateDirectory(_temp.CacheDirectory);
        SetMode(_temp.CacheDirectory, "777");
        var server = new FakeEntraServer();
        using HttpTransport transport = server.CreateTransport();

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() =>
            new ConnectionFactory(transport).ConnectAsync(SignIns.Credential(_temp.Options(allowUnencrypted: true))));

        Assert.Equal(AuthenticationErrorIds.TokenCacheInsecure, error.ErrorId);
        Assert.Contains("mode 0777", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Handler.Requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.CacheDirectory));
    }

    [Fact]
    public async Task ARecordOfAnotherUserIsNotResumedAndNothingIsSent()
    {
        if (!CanChown)
        {
            return; // See above.
        }

        PersistenceOptions options = _temp.Options(allowUnencrypted: true);
        var server = new FakeEntraServer();
        using (HttpTransport first = server.CreateTransport())
        {
            await new ConnectionFactory(first).ConnectAsync(SignIns.Credential(options));
        }

        CachePaths paths = CachePaths.For(options, "work");
        Chown(paths.RecordFile, Nobody);
        using HttpTransport second = server.CreateTransport();
        int before = server.Handler.Requests.Count;

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => new ConnectionFactory(second).ReconnectAsync("work", options));

        Assert.Equal(AuthenticationErrorIds.TokenCacheInsecure, error.ErrorId);
        Assert.Equal(paths.RecordFile, error.Target);
        Assert.Equal(before, server.Handler.Requests.Count);
    }

    public void Dispose() => _temp.Dispose();

    private static void SetMode(string path, string octal) =>
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));

    private static void Chown(string path, int uid)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", new[] { uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path }) { UseShellExecute = false })!;
        Assert.True(chown.WaitForExit(10_000), "chown did not finish");
        Assert.Equal(0, chown.ExitCode);
    }
}
