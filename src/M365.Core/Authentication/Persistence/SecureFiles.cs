using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// File operations for the persisted cache: symlinks are refused (a link could send tokens to a path of someone else's
    /// choosing), on Unix a folder or file of another user and a folder others can write to are refused (chmod would keep
    /// their owner, who could read the tokens), and the directory is made 0700 and every file 0600 before anything is
    /// written to it.
    /// netstandard2.0 has no File.SetUnixFileMode, hence chmod(2); on Windows the user profile's ACL already protects the files.
    /// </summary>
    internal static class SecureFiles
    {
        /// <summary>0600: what every private file is made (the token cache, the settings, a registration's private key).</summary>
        internal const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerReadWriteExecute = 0x1C0; // 0700

        internal static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Throws <see cref="AuthenticationErrorIds.TokenCachePathInvalid"/> when <paramref name="path"/> is a symbolic link (even a dangling one).</summary>
        public static void RefuseSymlink(string path)
        {
            if (Ownership.IsLink(path))
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePathInvalid,
                    $"The token cache path '{path}' is a symbolic link; M365 does not write tokens through links.",
                    "Remove the link (or use another cache directory), then run Connect-M365 -PersistLogin again.",
                    target: path);
            }
        }

        /// <summary>
        /// Creates the cache directory if needed, refusing a link, a directory of another user and one that others may
        /// write to (they could have put files there, or swap them), and makes it private to the user.
        /// </summary>
        public static void EnsurePrivateDirectory(string directory)
        {
            RefuseSymlink(directory);
            bool existed = Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            RefuseForeign(directory, isDirectory: true, existed);
            Restrict(directory, OwnerReadWriteExecute);
        }

        /// <summary>Throws <see cref="AuthenticationErrorIds.TokenCacheInsecure"/> when the existing <paramref name="directory"/> is another user's or writable by others.</summary>
        public static void RefuseForeignDirectory(string directory)
        {
            if (Directory.Exists(directory))
            {
                RefuseForeign(directory, isDirectory: true, existed: true);
            }
        }

        /// <summary>
        /// Throws <see cref="AuthenticationErrorIds.TokenCacheInsecure"/> when <paramref name="file"/> exists and belongs to another
        /// user: chmod keeps the owner, who could then read the tokens written to it. Nothing on Windows (the profile's ACL).
        /// </summary>
        public static void RefuseForeignFile(string file)
        {
            if (File.Exists(file))
            {
                RefuseForeign(file, isDirectory: false, existed: true);
            }
        }

        /// <summary>Makes an existing file private to the user (a file created by an older version or by hand may be wider).</summary>
        public static void RestrictToOwner(string file)
        {
            RefuseSymlink(file);
            if (File.Exists(file))
            {
                RefuseForeign(file, isDirectory: false, existed: true);
                Restrict(file, OwnerReadWrite);
            }
        }

        /// <summary>Writes <paramref name="content"/> to a file that is made 0600 before the first byte reaches it.</summary>
        public static void WritePrivateFile(string file, byte[] content)
        {
            RefuseSymlink(file);
            RefuseForeignFile(file);
            using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Restrict(file, OwnerReadWrite);
                stream.Write(content, 0, content.Length);
            }
        }

        /// <summary>Deletes a file if it exists. A link is removed itself, never its target.</summary>
        public static void Delete(string file)
        {
            if (Directory.Exists(Path.GetDirectoryName(file)))
            {
                File.Delete(file);
            }
        }

        private static void RefuseForeign(string path, bool isDirectory, bool existed)
        {
            if (!IsUnix || Ownership.Check(path, isDirectory, existed) is not { } problem)
            {
                return;
            }

            string kind = isDirectory ? "folder" : "file";
            string message = problem.Kind switch
            {
                // An owner that cannot be checked is not trusted.
                OwnershipProblemKind.Unverifiable => $"The owner of the token cache {kind} '{path}' cannot be checked ({problem.Cause!.Message}), so M365 writes no token there.",
                OwnershipProblemKind.ForeignOwner => $"The token cache {kind} '{path}' belongs to another user (uid {problem.OwnerId}, not {problem.Me}), who could read or replace the tokens kept there; M365 neither reads nor writes tokens there.",
                _ => $"The token cache folder '{path}' can be written by other users (mode {problem.OctalMode}), who could have put files in it; M365 neither reads nor writes tokens there.",
            };
            throw Insecure(path, message, kind, problem.Cause);
        }

        private static M365AuthenticationException Insecure(string path, string message, string kind, Exception? inner) =>
            new M365AuthenticationException(
                AuthenticationErrorIds.TokenCacheInsecure,
                message,
                kind == "folder"
                    ? $"Use a folder only you own and can write: remove '{path}' so that M365 creates it private (mode 0700), or point $env:M365_TOKEN_CACHE_DIRECTORY at one (unset, it is ~/.m365); then run Connect-M365 -PersistLogin again."
                    : $"Delete '{path}' (as its owner or root), then run Connect-M365 -PersistLogin again.",
                target: path,
                innerException: inner);

        private static void Restrict(string path, int mode)
        {
            if (IsUnix && Chmod(path, mode) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePathInvalid,
                    $"The permissions of the token cache path '{path}' cannot be restricted to its owner ({new Win32Exception(errno).Message}).",
                    "Check that you own the cache directory, or use another one.",
                    target: path);
            }
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        internal static extern int Chmod(string path, int mode);
    }
}
