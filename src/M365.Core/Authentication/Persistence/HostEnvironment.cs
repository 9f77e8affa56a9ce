using System;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>Recognises hosts where nothing may be persisted.</summary>
    internal static class HostEnvironment
    {
        /// <summary>
        /// True inside an Azure Automation job: its sandboxes set AUTOMATION_ASSET_ACCOUNTID, and the Az modules'
        /// AZUREPS_HOST_ENVIRONMENT starts with "AzureAutomation" there.
        /// </summary>
        public static bool IsAzureAutomation(Func<string, string?> readEnvironment) =>
            !string.IsNullOrEmpty(readEnvironment("AUTOMATION_ASSET_ACCOUNTID"))
            || (readEnvironment("AZUREPS_HOST_ENVIRONMENT")?.StartsWith("AzureAutomation", StringComparison.OrdinalIgnoreCase) ?? false);
    }
}
