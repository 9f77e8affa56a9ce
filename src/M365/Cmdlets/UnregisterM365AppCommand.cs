using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Connections;
using M365.Core.Registration;
using M365.PowerShell.Cmdlets.Registration;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Deletes an app that Register-M365App made, with its service principal, consents, certificates and federated credentials.</para>
/// <para type="description">Any other app is refused. Signs in as Register-M365App does, for this call only.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "M365App", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterM365AppCommand : AppRegistrationCmdlet
{
    private Connection? _connection;

    /// <summary>The app (client) ids to delete; Register-M365App's output can be piped.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "ApplicationId")]
    public string[]? AppId { get; set; }

    /// <summary>The tenant id or domain; by default the tenant of the account that signs in.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("TenantId")]
    public string? Tenant { get; set; }

    protected override void ProcessRecord()
    {
        // One sign-in serves every piped app.
        _connection ??= SignInForRegistration(Tenant).Connection;
        var unregistrar = new AppUnregistrar(_connection, _connection.Requests.WithVerbose(line => Post(() => WriteVerbose(line))).WithDebug(DebugSink()), BootstrapConnection.Approver(this));
        foreach (var appId in AppId!)
        {
            try
            {
                if (Await(ct => unregistrar.UnregisterAsync(appId.Trim(), ct)))
                {
                    WriteVerbose($"Deleted the app {appId}.");
                    SavedRegistration.Forget(this, appId.Trim());
                }
            }
            catch (M365Exception ex)
            {
                WriteError(ErrorRecords.From(ex, appId));
            }
        }
    }

    // The bootstrap sign-in ends with the command: its tokens are forgotten.
    protected override void EndProcessing()
    {
        if (_connection is { } connection)
        {
            EndSignIn(connection);
        }
    }
}
