using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// File operations for the persisted cache: symlinks are refused (a link could send tokens to a path of someone else's
    /// choosing), and on Unix the directory is made 0700 and every file 0600 before anything is written to it.
    /// netstandard2.0 has no File.SetUnixFileMode, hence chmod(2); on Windows the user profile's ACL already protects the files.
    /// </summary>
    internal static class SecureFiles
    {
        private const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerReadWriteExecute = 0x1C0; // 0700

        private static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Throws <see cref="AuthenticationErrorIds.TokenCachePathInvalid"/> when <paramref name="path"/> is a symbolic link (even a dangling one).</summary>
        public static void RefuseSymlink(string path)
        {
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return;
            }

            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePathInvalid,
                    $"The token cache path '{path}' is a symbolic link; M365 does not write tokens through links.",
                    "Remove the link (or use another cache directory), then run Connect-M365 -PersistLogin again.",
                    target: path);
            }
        }

        /// <summary>Creates the cache directory if needed, refusing a link, and makes it private to the user.</summary>
        public static void EnsurePrivateDirectory(string directory)
        {
            RefuseSymlink(directory);
            Directory.CreateDirectory(directory);
            Restrict(directory, OwnerReadWriteExecute);
        }

        /// <summary>Makes an existing file private to the user (a file created by an older version or by hand may be wider).</summary>
        public static void RestrictToOwner(string file)
        {
            RefuseSymlink(file);
            if (File.Exists(file))
            {
                Restrict(file, OwnerReadWrite);
            }
        }

        /// <summary>Writes <paramref name="content"/> to a file that is made 0600 before the first byte reaches it.</summary>
        public static void WritePrivateFile(string file, byte[] content)
        {
            RefuseSymlink(file);
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
        private static extern int Chmod(string path, int mode);
    }
}
