using System;
using System.Linq;
using System.Management.Automation;

namespace M365.PowerShell.Infrastructure;

/// <summary>Tells whether nobody can answer a prompt: a runbook, a scheduled task, <c>pwsh -NonInteractive</c>.</summary>
internal static class NonInteractiveHost
{
    public static bool IsNonInteractive(PSCmdlet cmdlet)
    {
        // Azure Automation sets these for every job.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AUTOMATION_ASSET_ACCOUNTID"))
            || (Environment.GetEnvironmentVariable("AZUREPS_HOST_ENVIRONMENT") ?? string.Empty).StartsWith("AzureAutomation", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A runspace without a host UI (the SDK's "Default Host", Azure Automation's sandboxes) shows nothing to anyone.
        var host = cmdlet.Host;
        if (host?.UI is null || string.Equals(host.Name, "Default Host", StringComparison.Ordinal))
        {
            return true;
        }

        return Environment.GetCommandLineArgs().Skip(1).Any(IsNonInteractiveSwitch);
    }

    private static bool IsNonInteractiveSwitch(string argument)
    {
        if (argument.Length < 5 || (argument[0] != '-' && argument[0] != '/'))
        {
            return false;
        }

        // pwsh accepts any unambiguous prefix of -NonInteractive down to -noni.
        var name = argument.Substring(1).TrimStart('-');
        return name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase);
    }
}
