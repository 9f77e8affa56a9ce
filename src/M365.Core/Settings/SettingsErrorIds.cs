namespace M365.Core.Settings
{
    /// <summary>Stable ids of the saved-defaults errors (<see cref="M365Exception.ErrorId"/>).</summary>
    public static class SettingsErrorIds
    {
        /// <summary>The settings file cannot be read as M365's settings (not JSON, a value of the wrong kind, too large).</summary>
        public const string SettingsFileInvalid = "SettingsFileInvalid";

        /// <summary>The settings folder or file belongs to another user, the folder can be written by others, or it is a link.</summary>
        public const string SettingsFileInsecure = "SettingsFileInsecure";

        /// <summary>The settings folder is not an absolute path, or the file cannot be written.</summary>
        public const string SettingsPathInvalid = "SettingsPathInvalid";

        /// <summary>A value given to Set-M365Setting is not an app id, a tenant or a cloud.</summary>
        public const string SettingValueInvalid = "SettingValueInvalid";
    }
}
