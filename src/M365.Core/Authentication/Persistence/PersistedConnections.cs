using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>The connection records written by -PersistLogin: listing (for -Name completion), lookup and removal.</summary>
    public static class PersistedConnections
    {
        /// <summary>Lists the persisted connections, by name. Unreadable records and links are left out (<see cref="Find"/> reports them).</summary>
        /// <param name="options">Where to look; null for the default directory.</param>
        public static IReadOnlyList<PersistedConnection> List(PersistenceOptions? options = null)
        {
            options ??= new PersistenceOptions();
            string directory = options.CacheDirectory;
            if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            {
                return Array.Empty<PersistedConnection>();
            }

            var found = new List<PersistedConnection>();
            foreach (string file in Directory.EnumerateFiles(directory, "*" + CachePaths.RecordSuffix))
            {
                // Completion must keep working when one record is damaged; Find names the damage when that record is asked for.
                if ((File.GetAttributes(file) & FileAttributes.ReparsePoint) == 0 && TryRead(file, out PersistedConnection? record))
                {
                    found.Add(record!);
                }
            }

            return found.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Reads the record of the connection named <paramref name="name"/>.</summary>
        /// <param name="name">The connection's name (case-insensitive).</param>
        /// <param name="options">Where to look; null for the default directory.</param>
        /// <exception cref="M365Exception">
        /// <see cref="PersistenceErrorIds.PersistedConnectionNotFound"/>, <see cref="PersistenceErrorIds.PersistedConnectionInvalid"/>
        /// <see cref="AuthenticationErrorIds.TokenCachePathInvalid"/> (the record is a link) or
        /// <see cref="AuthenticationErrorIds.TokenCacheInsecure"/> (its folder or file is another user's).
        /// </exception>
        public static PersistedConnection Find(string name, PersistenceOptions? options = null)
        {
            CachePaths paths = CachePaths.For(options ?? new PersistenceOptions(), name);
            SecureFiles.RefuseSymlink(paths.RecordFile);
            // A record another user could have written (or can still change) must not steer a sign-in.
            SecureFiles.RefuseForeignDirectory(paths.Directory);
            SecureFiles.RefuseForeignFile(paths.RecordFile);
            byte[] content;
            try
            {
                content = File.ReadAllBytes(paths.RecordFile);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new M365Exception(
                    PersistenceErrorIds.PersistedConnectionNotFound,
                    $"No persisted connection is named '{name}'.",
                    "Sign in with Connect-M365 -PersistLogin -Name '" + name + "' first; Get-M365Connection lists this session's connections.",
                    name,
                    ex);
            }

            PersistedConnection record;
            try
            {
                record = PersistedConnectionSerializer.Deserialize(content, paths.RecordFile);
            }
            catch (M365Exception ex) when (ex.ErrorId == PersistenceErrorIds.PersistedConnectionInvalid)
            {
                throw Damaged(name, ex.Message, ex);
            }

            if (!string.Equals(record.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw Damaged(name, $"The persisted connection record '{paths.RecordFile}' belongs to '{record.Name}', not '{name}'.", null);
            }

            return record;
        }

        /// <summary>True when any file of the connection named <paramref name="name"/> exists, readable or not.</summary>
        /// <param name="name">The connection's name.</param>
        /// <param name="options">Where to look; null for the default directory.</param>
        public static bool Exists(string name, PersistenceOptions? options = null)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return false;
            }

            CachePaths paths = CachePaths.For(options ?? new PersistenceOptions(), name);
            return paths.All.Any(File.Exists);
        }

        /// <summary>The error for a persisted sign-in that cannot be used as it is: it names the damage and the way out.</summary>
        internal static M365Exception Damaged(string name, string problem, Exception? inner) =>
            new M365Exception(
                PersistenceErrorIds.PersistedConnectionInvalid,
                $"The persisted sign-in '{name}' cannot be resumed. {problem} Nothing was sent.",
                $"Run Disconnect-M365 -Name '{name}' to delete it, then Connect-M365 -PersistLogin -Name '{name}' to sign in again.",
                name,
                inner);

        /// <summary>
        /// Deletes a persisted connection (its cache, in the keyring or on disk, and its record) without loading it, for
        /// Disconnect-M365 -Name on a connection this session never opened. Returns false when there was none.
        /// </summary>
        /// <param name="name">The connection's name.</param>
        /// <param name="options">Where to look; null for the default directory.</param>
        /// <param name="cancellationToken">Cancels the removal.</param>
        public static async Task<bool> RemoveAsync(string name, PersistenceOptions? options = null, CancellationToken cancellationToken = default)
        {
            options ??= new PersistenceOptions();
            CachePaths paths = CachePaths.For(options, name);
            if (!paths.All.Any(File.Exists))
            {
                return false;
            }

            // Opened the way it was written, only to reach its keyring entry: the plaintext fallback never fails to open.
            PersistentTokenCache cache = await PersistentTokenCache.OpenAsync(options, paths, allowUnencrypted: true, cancellationToken).ConfigureAwait(false);
            cache.Delete();
            return true;
        }

        /// <summary>Writes the record (mode 0600, never through a link).</summary>
        internal static void Save(PersistedConnection record, CachePaths paths)
        {
            SecureFiles.EnsurePrivateDirectory(paths.Directory);
            SecureFiles.WritePrivateFile(paths.RecordFile, PersistedConnectionSerializer.Serialize(record));
        }

        private static bool TryRead(string file, out PersistedConnection? record)
        {
            try
            {
                record = PersistedConnectionSerializer.Deserialize(File.ReadAllBytes(file), file);
                return true;
            }
            catch (M365Exception)
            {
                record = null;
                return false;
            }
        }
    }
}
