using System;
using System.IO;
using System.Text;
using System.Text.Json;
using M365.Core.Authentication.Persistence;

namespace M365.Core.Settings
{
    /// <summary>
    /// The per-user settings file (settings.json in the settings folder): read, written and cleared under one process-wide
    /// lock, written whole to a private temporary file and renamed into place, so a reader never sees half a file.
    /// On Unix the folder is made 0700 and the file 0600, and a folder or file of another user, a folder others can write to
    /// and a link are refused for reading as for writing: whoever could change the file could choose the app a user signs in
    /// to. Thread-safe.
    /// </summary>
    public sealed class SettingsFile
    {
        /// <summary>The file's name in the settings folder.</summary>
        public const string FileName = "settings.json";

        private const int MaximumBytes = 64 * 1024;
        private static readonly object s_gate = new object();

        /// <summary>Creates the store of the settings in <paramref name="directory"/>.</summary>
        /// <exception cref="M365Exception"><see cref="SettingsErrorIds.SettingsPathInvalid"/>: not an absolute path.</exception>
        public SettingsFile(string? directory)
        {
            if (string.IsNullOrWhiteSpace(directory) || !System.IO.Path.IsPathRooted(directory))
            {
                throw new M365Exception(
                    SettingsErrorIds.SettingsPathInvalid,
                    $"The settings folder '{directory}' is not an absolute path (is the HOME variable set?).",
                    "Set HOME, or point $env:M365_SETTINGS_DIRECTORY at an absolute folder.",
                    directory);
            }

            Directory = System.IO.Path.GetFullPath(directory);
            Path = System.IO.Path.Combine(Directory, FileName);
        }

        /// <summary>~/.m365, the folder the token caches use by default too.</summary>
        public static string DefaultDirectory => PersistenceOptions.DefaultCacheDirectory;

        /// <summary>The settings folder.</summary>
        public string Directory { get; }

        /// <summary>The settings file.</summary>
        public string Path { get; }

        /// <summary>The saved settings; <see cref="M365Settings.Empty"/> when there is no file.</summary>
        /// <exception cref="M365Exception">
        /// <see cref="SettingsErrorIds.SettingsFileInvalid"/> (unreadable or damaged), <see cref="SettingsErrorIds.SettingsFileInsecure"/>.
        /// </exception>
        public M365Settings Read()
        {
            lock (s_gate)
            {
                return ReadUnlocked();
            }
        }

        /// <summary>Applies <paramref name="change"/> to the saved settings and saves the result (deletes the file when it is empty).</summary>
        /// <returns>The settings now saved.</returns>
        /// <exception cref="M365Exception">As <see cref="Read"/>, or <see cref="SettingsErrorIds.SettingsPathInvalid"/> when the file cannot be written.</exception>
        public M365Settings Update(Func<M365Settings, M365Settings> change)
        {
            if (change is null)
            {
                throw new ArgumentNullException(nameof(change));
            }

            lock (s_gate)
            {
                M365Settings updated = change(ReadUnlocked());
                Write(updated);
                return updated;
            }
        }

        /// <summary>Deletes the file, whatever it holds (the way out of a damaged one). A link is removed itself, never its target.</summary>
        /// <exception cref="M365Exception"><see cref="SettingsErrorIds.SettingsFileInsecure"/>: the folder is another user's or writable by others.</exception>
        public void Delete()
        {
            lock (s_gate)
            {
                SettingsSecurity.RefuseForeign(Directory, isDirectory: true);
                if (File.Exists(Path) || IsLink(Path))
                {
                    Guard(() => File.Delete(Path));
                }
            }
        }

        private M365Settings ReadUnlocked()
        {
            if (!File.Exists(Path) && !IsLink(Path))
            {
                return M365Settings.Empty;
            }

            SettingsSecurity.RefuseForeign(Directory, isDirectory: true);
            SettingsSecurity.RefuseLink(Path);
            SettingsSecurity.RefuseForeign(Path, isDirectory: false);
            byte[] bytes;
            try
            {
                var info = new FileInfo(Path);
                if (info.Length > MaximumBytes)
                {
                    throw Invalid($"The settings file '{Path}' is {info.Length} bytes, more than a settings file can be ({MaximumBytes}).", null);
                }

                bytes = File.ReadAllBytes(Path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Invalid($"The settings file '{Path}' cannot be read ({ex.Message}).", ex);
            }

            return SettingsJson.Parse(bytes, Path);
        }

        private void Write(M365Settings settings)
        {
            SettingsSecurity.RefuseLink(Directory);
            bool existed = System.IO.Directory.Exists(Directory);
            Guard(() => System.IO.Directory.CreateDirectory(Directory));
            SettingsSecurity.RefuseForeign(Directory, isDirectory: true, existed);
            SettingsSecurity.RefuseLink(Path);
            SettingsSecurity.RefuseForeign(Path, isDirectory: false);
            if (settings.IsEmpty)
            {
                Guard(() => File.Delete(Path));
                return;
            }

            // SecureFiles makes the folder 0700 and the file 0600 before the first byte reaches it.
            SecureFiles.EnsurePrivateDirectory(Directory);
            string temporary = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                SecureFiles.WritePrivateFile(temporary, SettingsJson.Serialize(settings));
                Guard(() =>
                {
                    if (File.Exists(Path))
                    {
                        File.Replace(temporary, Path, null);
                    }
                    else
                    {
                        File.Move(temporary, Path);
                    }
                });
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        private void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new M365Exception(
                    SettingsErrorIds.SettingsPathInvalid,
                    $"The settings file '{Path}' cannot be written ({ex.Message}).",
                    "Check that you own the settings folder, or point $env:M365_SETTINGS_DIRECTORY at another one.",
                    Path,
                    ex);
            }
        }

        private static bool IsLink(string path)
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

        internal static M365Exception Invalid(string message, Exception? inner, string? path = null) =>
            new M365Exception(
                SettingsErrorIds.SettingsFileInvalid,
                message,
                "Run Clear-M365Setting to delete the file, then Set-M365Setting to save the defaults again.",
                path,
                inner);
    }
}
