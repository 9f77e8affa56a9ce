using M365.Core.Authentication.Persistence;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>A fresh cache directory under the temp folder per test (never ~/.m365), deleted afterwards.</summary>
internal sealed class TempCacheDirectory : IDisposable
{
    public TempCacheDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "m365-persist-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        CacheDirectory = Path.Combine(Root, "cache");
    }

    /// <summary>The parent folder, for link targets and other files outside the cache directory.</summary>
    public string Root { get; }

    /// <summary>The cache directory (not created: persistence creates it).</summary>
    public string CacheDirectory { get; }

    /// <summary>Persistence options into <see cref="CacheDirectory"/>, outside Azure Automation whatever this machine's environment says.</summary>
    public PersistenceOptions Options(bool allowUnencrypted) => new()
    {
        Enabled = true,
        AllowUnencrypted = allowUnencrypted,
        CacheDirectory = CacheDirectory,
        ReadEnvironment = _ => null,
    };

    /// <summary>Every file in the cache directory, with its text.</summary>
    public IReadOnlyDictionary<string, string> Files() =>
        Directory.Exists(CacheDirectory)
            ? Directory.EnumerateFiles(CacheDirectory).ToDictionary(f => Path.GetFileName(f)!, f => File.ReadAllText(f))
            : new Dictionary<string, string>();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
