using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// The owner and mode of a path on Unix, and the effective user id. .NET has no managed API for a file's owner (and
    /// netstandard2.0 none for its mode), and <c>struct stat</c> differs between architectures, so this reads only calls
    /// whose layout is fixed: on Linux statx(2), whose <c>struct statx</c> is the same on every architecture (uid at byte
    /// 20, mode at 28); on macOS the 64-bit-inode <c>struct stat</c>, the same on x64 and arm64 (mode at byte 4, uid at 16).
    /// Links are not followed (the callers refuse links).
    /// </summary>
    internal readonly struct UnixFileStatus
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxMode = 0x2;
        private const uint StatxUid = 0x8;

        private UnixFileStatus(uint ownerId, int mode)
        {
            OwnerId = ownerId;
            Mode = mode;
        }

        public uint OwnerId { get; }

        /// <summary>The permission bits (07777).</summary>
        public int Mode { get; }

        /// <summary>The user this process acts as (its files get this owner).</summary>
        public static uint EffectiveUserId => GetEuid();

        /// <summary>Reads <paramref name="path"/>'s status. Throws <see cref="Win32Exception"/> when the call fails.</summary>
        public static UnixFileStatus Of(string path)
        {
            var buffer = new byte[256];
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                int result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? LstatInode64(path, buffer) : Lstat(path, buffer);
                ThrowOnFailure(result);
                return new UnixFileStatus(BitConverter.ToUInt32(buffer, 16), BitConverter.ToUInt16(buffer, 4) & 0xFFF);
            }

            ThrowOnFailure(Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxMode | StatxUid, buffer));
            uint returned = BitConverter.ToUInt32(buffer, 0);
            if ((returned & (StatxMode | StatxUid)) != (StatxMode | StatxUid))
            {
                throw new Win32Exception("The file system did not report the owner and mode of '" + path + "'.");
            }

            return new UnixFileStatus(BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt16(buffer, 28) & 0xFFF);
        }

        private static void ThrowOnFailure(int result)
        {
            if (result != 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error());
            }
        }

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEuid();

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int Lstat(string path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int LstatInode64(string path, [Out] byte[] buffer);
    }
}
