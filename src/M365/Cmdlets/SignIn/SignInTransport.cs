using System;
using M365.Core.Http;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>Where Connect-M365's requests go: Microsoft's hosts, or with -Sandbox the local sandbox tenant.</summary>
internal static class SignInTransport
{
    /// <summary>The transport, and the sandbox descriptor's path when -Sandbox chose it.</summary>
    public static HttpTransport Resolve(ConnectM365Command command, out string? descriptorPath) =>
        Resolve(command, command.Sandbox, out descriptorPath);

    /// <summary>As above, for any cmdlet with a -Sandbox switch (Register-M365App).</summary>
    public static HttpTransport Resolve(System.Management.Automation.PSCmdlet command, bool sandbox, out string? descriptorPath)
    {
        descriptorPath = null;
        if (!sandbox)
        {
            return Transports.Default;
        }

        descriptorPath = SandboxLocator.DescriptorPath();
        try
        {
            return Transports.ForSandbox(SandboxDescriptor.Load(descriptorPath));
        }
        catch (Exception ex) when (ex is M365.Core.M365Exception)
        {
            var error = ErrorRecords.From(ex, descriptorPath);
            error.ErrorDetails = new System.Management.Automation.ErrorDetails(ex.Message)
            {
                RecommendedAction = "Start the sandbox tenant (dotnet run --project src/M365.Sandbox -- serve) and set $env:M365_SANDBOX to the descriptor path it prints.",
            };
            command.ThrowTerminatingError(error);
            throw;
        }
    }
}
