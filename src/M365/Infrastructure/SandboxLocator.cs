using System;
using System.IO;

namespace M365.PowerShell.Infrastructure;

/// <summary>Finds the sandbox tenant's descriptor: $env:M365_SANDBOX, else the sandbox's default state folder.</summary>
internal static class SandboxLocator
{
    public const string Variable = "M365_SANDBOX";

    public static string DescriptorPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".m365-sandbox", "sandbox.json")
            : fromEnvironment!.Trim();
    }
}
