using System.Text;
using Microsoft.Identity.Client.Extensions.Msal;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>
/// Pins the library behaviour the unencrypted fallback relies on: MSAL Extensions 4.92 creates its plaintext cache file
/// with mode 0600 itself (FileWithPermissions), whatever the process umask gives ordinary files.
/// </summary>
public sealed class MsalExtensionsFileModeTests : IDisposable
{
    private readonly TempCacheDirectory _temp = new();

    [Fact]
    public async Task ThePlaintextCacheFileIsCreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only; on Windows the fallback file inherits the user profile's ACL.
        }

        Directory.CreateDirectory(_temp.CacheDirectory);
        string ordinary = Path.Combine(_temp.CacheDirectory, "ordinary.txt");
        File.WriteAllText(ordinary, "x");
        var properties = new StorageCreationPropertiesBuilder("library.cache", _temp.CacheDirectory).WithUnprotectedFile().Build();

        MsalCacheHelper helper = await MsalCacheHelper.CreateAsync(properties);
        helper.SaveUnencryptedTokenCache(Encoding.UTF8.GetBytes("{}"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(properties.CacheFilePath));
        Assert.NotEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ordinary));
    }

    public void Dispose() => _temp.Dispose();
}
