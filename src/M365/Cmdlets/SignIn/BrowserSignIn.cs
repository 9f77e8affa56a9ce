using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using M365.Core;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// -Interactive: the system browser (authorization code with PKCE). Where no browser opens, the URL through the host,
/// then the device code (its countdown as for device code), with a warning that says why.
/// </summary>
internal sealed class BrowserSignIn : SignInMethod
{
    /// <summary>Seconds to keep listening after printing the URL where no browser opens (0 to 600; default 30).</summary>
    internal const string WaitVariable = "M365_BROWSER_WAIT";

    private DeviceCodeProgress? _progress;

    public BrowserSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Validate()
    {
        if (NonInteractiveHost.IsNonInteractive(Command))
        {
            Command.ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.BrowserSignInNonInteractive,
                ErrorCategory.InvalidOperation,
                null,
                "Browser sign-in needs a person to sign in, and this PowerShell session is non-interactive (a runbook, a scheduled task or -NonInteractive).",
                "Sign in app-only instead: Connect-M365 -ManagedIdentity, -CertificatePath/-Certificate/-Thumbprint with -AppId and -Tenant, or -ClientSecret with -AppId and -Tenant."));
        }
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        _progress = new DeviceCodeProgress(Command, TimeSpan.FromSeconds(Command.Timeout));
        var post = Command.BoundPost();
        options.AuthenticationType = AuthenticationType.Interactive;
        options.LoginHint = Command.LoginHint;
        options.BrowserFallbackDelay = FallbackDelay(Command);
        options.DeviceCodeCallback = _progress.ShowAsync;
        options.WarningCallback = message => post(() => Command.WriteWarning(message));
        options.VerboseCallback = message => post(() => Command.WriteVerbose(message));
        options.SignInUrlCallback = (url, reason, ct) => ShowUrlAsync(url, reason, options.BrowserFallbackDelay);
    }

    public override void SignInEnded() => _progress?.Dispose();

    public override void SignedIn(Connection connection) => SignInWelcome.Write(Command, connection);

    private Task ShowUrlAsync(Uri url, string reason, TimeSpan wait)
    {
        Command.PostHostLine(
            $"No browser can be opened: {reason}. To sign in, open this URL in a browser on this machine within {Durations.Describe(wait)}; after that a device code is shown instead:"
            + System.Environment.NewLine + url.AbsoluteUri);
        return Task.CompletedTask;
    }

    /// <summary>$env:M365_BROWSER_WAIT, else 30 seconds (a bad value warns).</summary>
    internal static TimeSpan FallbackDelay(Cmdlet command)
    {
        var text = System.Environment.GetEnvironmentVariable(WaitVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromSeconds(30);
        }

        if (int.TryParse(text!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 600)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        command.WriteWarning($"${WaitVariable} must be a number of seconds from 0 to 600, not '{text}'; waiting 30 seconds.");
        return TimeSpan.FromSeconds(30);
    }
}
