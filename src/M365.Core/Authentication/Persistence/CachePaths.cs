using System.Collections.Generic;
using System.IO;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>The files of one persisted connection, all in the cache directory.</summary>
    internal sealed class CachePaths
    {
        private const string ProbeStem = "persistence-check";

        private CachePaths(string directory, string stem)
        {
            Directory = directory;
            Stem = stem;
            CacheFile = Path.Combine(directory, stem + ".cache");
            RecordFile = Path.Combine(directory, stem + RecordSuffix);
        }

        /// <summary>The suffix of connection records, for listing them.</summary>
        public const string RecordSuffix = ".connection.json";

        public string Directory { get; }

        /// <summary>The file-name stem, also the keyring entry's distinguishing attribute.</summary>
        public string Stem { get; }

        /// <summary>MSAL's cache: encrypted (DPAPI), a change marker (Keychain, libsecret) or plaintext (the unencrypted fallback).</summary>
        public string CacheFile { get; }

        /// <summary>The lock file MSAL's cross-process lock keeps next to the cache (it holds a process id, nothing secret).</summary>
        public string LockFile => CacheFile + ".lockfile";

        /// <summary>The connection record (no tokens, no secrets).</summary>
        public string RecordFile { get; }

        /// <summary>Every file of the connection, for symlink checks and deletion.</summary>
        public IEnumerable<string> All => new[] { CacheFile, LockFile, RecordFile };

        public static CachePaths For(PersistenceOptions options, string connectionName) =>
            new CachePaths(CheckedDirectory(options), CacheName.From(connectionName));

        /// <summary>A throw-away cache used to check persistence before the sign-in, while the connection name is not known yet.</summary>
        public static CachePaths Probe(PersistenceOptions options) => new CachePaths(CheckedDirectory(options), ProbeStem);

        private static string CheckedDirectory(PersistenceOptions options)
        {
            string? directory = options.CacheDirectory;
            if (string.IsNullOrWhiteSpace(directory) || !Path.IsPathRooted(directory))
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePathInvalid,
                    $"The token cache directory '{directory}' is not an absolute path (is the HOME variable set?).",
                    "Set HOME, or give an absolute cache directory.",
                    target: directory);
            }

            return Path.GetFullPath(directory);
        }
    }
}
