using System.Management.Automation;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>Device code (the default): the code through the host, a countdown, and who signed in at the end.</summary>
internal sealed class DeviceCodeSignIn : SignInMethod
{
    private DeviceCodeProgress? _progress;

    public DeviceCodeSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Validate()
    {
        if (NonInteractiveHost.IsNonInteractive(Command))
        {
            Command.ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.DeviceCodeNonInteractive,
                ErrorCategory.InvalidOperation,
                null,
                "Device-code sign-in needs a person to enter a code, and this PowerShell session is non-interactive (a runbook, a scheduled task or -NonInteractive).",
                "Sign in app-only instead: Connect-M365 -ManagedIdentity, -CertificatePath/-Certificate/-Thumbprint with -AppId and -Tenant, or -ClientSecret with -AppId and -Tenant."));
        }
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        _progress = new DeviceCodeProgress(Command, System.TimeSpan.FromSeconds(Command.Timeout));
        options.AuthenticationType = AuthenticationType.DeviceCode;
        options.DeviceCodeCallback = _progress.ShowAsync;
    }

    public override void SignInEnded() => _progress?.Dispose();

    public override void SignedIn(Connection connection) => SignInWelcome.Write(Command, connection);
}
