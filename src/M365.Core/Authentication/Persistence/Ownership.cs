using System;
using System.ComponentModel;
using System.IO;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>Why a path on Unix must not be trusted with private data: who owns it, and who may write to it.</summary>
    internal enum OwnershipProblemKind
    {
        /// <summary>The owner could not be read (see <see cref="OwnershipProblem.Cause"/>): then it is not trusted.</summary>
        Unverifiable,

        /// <summary>Another user owns it.</summary>
        ForeignOwner,

        /// <summary>A folder that group or others may write to.</summary>
        WritableByOthers,
    }

    /// <summary>One finding of <see cref="Ownership.Check"/>; each caller words it for what it keeps there.</summary>
    internal sealed class OwnershipProblem
    {
        public OwnershipProblem(OwnershipProblemKind kind, uint ownerId, uint me, int mode, Exception? cause)
        {
            Kind = kind;
            OwnerId = ownerId;
            Me = me;
            Mode = mode;
            Cause = cause;
        }

        public OwnershipProblemKind Kind { get; }

        public uint OwnerId { get; }

        public uint Me { get; }

        public int Mode { get; }

        /// <summary>The mode as four octal digits (0777).</summary>
        public string OctalMode => Convert.ToString(Mode, 8).PadLeft(4, '0');

        public Exception? Cause { get; }
    }

    /// <summary>
    /// The ownership rule the token cache and the settings file share (Unix only; on Windows the profile's ACL protects
    /// them): the path must belong to the effective user, and a folder that existed before must not be writable by group
    /// or others (one just created is still only umask-wide, and is made 0700 next).
    /// </summary>
    internal static class Ownership
    {
        private const int GroupOrOthersWrite = 0x12; // 0022

        /// <summary>
        /// True when <paramref name="path"/> is a symbolic link (even a dangling one): a link could send private data to a
        /// path of someone else's choosing. False when nothing is there.
        /// </summary>
        public static bool IsLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
        }

        /// <summary>Null when <paramref name="path"/> may be trusted, else why not.</summary>
        public static OwnershipProblem? Check(string path, bool isDirectory, bool existed)
        {
            UnixFileStatus status;
            try
            {
                status = UnixFileStatus.Of(path);
            }
            catch (Exception ex) when (ex is Win32Exception || ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return new OwnershipProblem(OwnershipProblemKind.Unverifiable, 0, 0, 0, ex);
            }

            uint me = UnixFileStatus.EffectiveUserId;
            if (status.OwnerId != me)
            {
                return new OwnershipProblem(OwnershipProblemKind.ForeignOwner, status.OwnerId, me, status.Mode, null);
            }

            return isDirectory && existed && (status.Mode & GroupOrOthersWrite) != 0
                ? new OwnershipProblem(OwnershipProblemKind.WritableByOthers, status.OwnerId, me, status.Mode, null)
                : null;
        }
    }
}
