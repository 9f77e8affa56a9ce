using System;
using M365.Core.Settings;

namespace M365.PowerShell.Infrastructure;

/// <summary>Where the saved defaults live: ~/.m365/settings.json, or settings.json in $env:M365_SETTINGS_DIRECTORY.</summary>
internal static class SettingsLocation
{
    public const string Variable = "M365_SETTINGS_DIRECTORY";

    /// <summary>
    /// The settings file, or null when there can be none: the variable is unset and the user profile is unknown (no HOME,
    /// as in some containers), so nothing was ever saved. Connect-M365 uses this and stays quiet there.
    /// </summary>
    public static SettingsFile? TryFile()
    {
        var directory = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(directory) && !System.IO.Path.IsPathRooted(SettingsFile.DefaultDirectory) ? null : File();
    }

    /// <summary>The settings file the environment names now (read each time, so a changed variable counts at once).</summary>
    public static SettingsFile File()
    {
        var directory = Environment.GetEnvironmentVariable(Variable);
        return new SettingsFile(string.IsNullOrWhiteSpace(directory) ? SettingsFile.DefaultDirectory : directory!.Trim());
    }
}
