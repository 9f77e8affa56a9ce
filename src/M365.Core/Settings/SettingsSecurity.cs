using System;
using System.IO;
using System.Runtime.InteropServices;
using M365.Core.Authentication.Persistence;

namespace M365.Core.Settings
{
    /// <summary>The ownership checks of the settings folder and file, worded for settings (the token cache has its own).</summary>
    internal static class SettingsSecurity
    {
        public static void RefuseLink(string path)
        {
            if (Ownership.IsLink(path))
            {
                throw Insecure(path, $"The settings path '{path}' is a symbolic link; M365 neither reads nor writes settings through links.", isDirectory: false);
            }
        }

        /// <summary>
        /// Refuses an existing <paramref name="path"/> of another user, and an existing folder others can write to
        /// (<paramref name="existed"/> false: just created, still only umask-wide). Nothing on Windows (the profile's ACL).
        /// </summary>
        public static void RefuseForeign(string path, bool isDirectory, bool existed = true)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || !(isDirectory ? Directory.Exists(path) : File.Exists(path)))
            {
                return;
            }

            if (Ownership.Check(path, isDirectory, existed) is not { } problem)
            {
                return;
            }

            string kind = isDirectory ? "folder" : "file";
            string message = problem.Kind switch
            {
                OwnershipProblemKind.Unverifiable => $"The owner of the settings {kind} '{path}' cannot be checked ({problem.Cause!.Message}), so M365 does not trust it.",
                OwnershipProblemKind.ForeignOwner => $"The settings {kind} '{path}' belongs to another user (uid {problem.OwnerId}, not {problem.Me}), who could choose the app you sign in to; M365 neither reads nor writes settings there.",
                _ => $"The settings folder '{path}' can be written by other users (mode {problem.OctalMode}), who could replace the settings; M365 neither reads nor writes settings there.",
            };
            throw Insecure(path, message, isDirectory, problem.Cause);
        }

        private static M365Exception Insecure(string path, string message, bool isDirectory, Exception? inner = null) =>
            new M365Exception(
                SettingsErrorIds.SettingsFileInsecure,
                message,
                isDirectory
                    ? $"Use a folder only you own and can write: remove '{path}' so that M365 creates it private (mode 0700), or point $env:M365_SETTINGS_DIRECTORY at one (unset, it is ~/.m365)."
                    : $"Delete '{path}' (as its owner or root), then save the defaults again with Set-M365Setting.",
                path,
                inner);
    }
}
