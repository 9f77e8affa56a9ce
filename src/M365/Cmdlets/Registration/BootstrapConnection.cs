using System;
using System.Management.Automation;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Registration;
using M365.PowerShell.Cmdlets.SignIn;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.Registration;

/// <summary>
/// The sign-in Register-M365App and Unregister-M365App run under (<see cref="BootstrapSignIn"/>): device code, or the
/// browser with -Interactive. The connection is kept by the cmdlet for its own calls only: never added to the session's
/// connections and never persisted.
/// </summary>
internal static class BootstrapConnection
{
    public static (Connection Connection, HttpTransport Transport) SignIn(M365Cmdlet command, bool sandbox, string? tenant, string environment, string? bootstrapAppId, bool interactive, TimeSpan timeout)
    {
        var cloud = ConnectArguments.Cloud(command, environment);
        ConnectArguments.CheckTenant(command, tenant);
        var transport = SignInTransport.Resolve(command, sandbox, out _);
        if (NonInteractiveHost.IsNonInteractive(command))
        {
            command.ThrowTerminatingError(ErrorRecords.Create(
                interactive ? ErrorIds.BrowserSignInNonInteractive : ErrorIds.DeviceCodeNonInteractive,
                ErrorCategory.InvalidOperation,
                null,
                "Registering an app needs an administrator to sign in, and this PowerShell session is non-interactive (a runbook, a scheduled task or -NonInteractive).",
                "Run Register-M365App once in an interactive PowerShell; then use the app it prints."));
        }

        var options = BootstrapSignIn.Options(bootstrapAppId, ConnectArguments.Tenant(tenant), cloud, interactive, sandbox, timeout);
        using var progress = new DeviceCodeProgress(command, timeout);
        var post = command.BoundPost();
        options.DeviceCodeCallback = progress.ShowAsync;
        options.BrowserFallbackDelay = BrowserSignIn.FallbackDelay(command);
        options.WarningCallback = message => post(() => command.WriteWarning(message));
        options.VerboseCallback = message => post(() => command.WriteVerbose(message));
        options.SignInUrlCallback = (url, reason, ct) =>
        {
            command.PostHostLine($"No browser can be opened: {reason}. To sign in, open this URL in a browser on this machine:" + System.Environment.NewLine + url.AbsoluteUri);
            return Task.CompletedTask;
        };
        command.WriteVerbose($"Signing in with the bootstrap app {options.AppId} ({options.AuthenticationType}) for the registration only; this sign-in is not kept.");
        var factory = new ConnectionFactory(transport);
        try
        {
            return (command.Await(ct => factory.ConnectAsync(options, ct)), transport);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            command.ThrowTerminatingError(ErrorRecords.From(ex, options.AppId));
            throw;
        }
    }

    /// <summary>ShouldProcess on the pipeline thread, for Core's writes that ask from whatever thread they run on.</summary>
    public static Func<string, Task<bool>> Approver(M365Cmdlet command) => what =>
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        command.Post(() =>
        {
            try
            {
                answer.TrySetResult(command.ShouldProcess(what, what, "Microsoft Graph"));
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
            }
        });
        return answer.Task;
    };
}
