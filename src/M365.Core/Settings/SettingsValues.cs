using System;
using System.Linq;
using M365.Core.Clouds;

namespace M365.Core.Settings
{
    /// <summary>Checks and normalises the values a setting may take, before anything is saved.</summary>
    public static class SettingsValues
    {
        /// <summary>An app (client) id: a GUID, saved in its lower-case "D" form.</summary>
        /// <exception cref="M365Exception"><see cref="SettingsErrorIds.SettingValueInvalid"/>.</exception>
        public static string AppId(string value)
        {
            if (Guid.TryParse(value?.Trim(), out Guid id) && id != Guid.Empty)
            {
                return id.ToString("D");
            }

            throw Invalid(value, $"'{value}' is not an app (client) id: an app id is a GUID such as 00000000-0000-0000-0000-000000000000.", "Pass the Application (client) ID shown on the app registration's overview page.");
        }

        /// <summary>A tenant: its id (a GUID) or a domain (contoso.onmicrosoft.com); a bare name and the multi-tenant aliases are refused.</summary>
        /// <exception cref="M365Exception"><see cref="SettingsErrorIds.SettingValueInvalid"/>.</exception>
        public static string Tenant(string value)
        {
            string trimmed = value?.Trim() ?? string.Empty;
            if (Guid.TryParse(trimmed, out Guid id) && id != Guid.Empty)
            {
                return id.ToString("D");
            }

            bool domain = trimmed.Length > 2 && trimmed.IndexOf('.') > 0 && !trimmed.EndsWith(".", StringComparison.Ordinal)
                && trimmed.All(c => char.IsLetterOrDigit(c) || c == '.' || c == '-');
            if (domain)
            {
                return trimmed.ToLowerInvariant();
            }

            throw Invalid(value, $"'{value}' is not a tenant: a saved tenant is the tenant's domain or its id.", trimmed.Length > 0 && trimmed.IndexOf('.') < 0 && !Guid.TryParse(trimmed, out _)
                ? $"Did you mean {trimmed}.onmicrosoft.com?"
                : "Pass the tenant's domain (contoso.onmicrosoft.com) or its id.");
        }

        /// <summary>A cloud's name (Public, USGov, USGovDoD, China), saved as M365 spells it.</summary>
        /// <exception cref="M365Exception"><see cref="SettingsErrorIds.SettingValueInvalid"/>.</exception>
        public static string Environment(string value)
        {
            if (CloudEnvironment.TryGet(value?.Trim(), out CloudEnvironment? cloud))
            {
                return cloud.Name;
            }

            throw Invalid(value, $"'{value}' is not a Microsoft cloud M365 knows.", "Use one of: " + string.Join(", ", CloudEnvironment.All.Select(c => c.Name)) + ".");
        }

        private static M365Exception Invalid(string? value, string message, string fix) =>
            new M365Exception(SettingsErrorIds.SettingValueInvalid, message, fix, value);
    }
}
