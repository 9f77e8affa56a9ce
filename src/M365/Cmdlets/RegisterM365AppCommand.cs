using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Connections;
using M365.Core.Registration;
using M365.PowerShell.Cmdlets.Registration;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Registers your own Entra ID app for the module in one command: the app, its service principal and tenant-wide consent.</para>
/// <para type="description">Signs in with a Microsoft first-party app (Azure CLI) for the registration only, resolves the permissions from the tenant, and waits until the new app can sign in.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "M365App", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(M365AppRegistration))]
public sealed class RegisterM365AppCommand : AppRegistrationCmdlet
{
    /// <summary>The app's display name; an app of this name that Register-M365App made is reused and brought up to date.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 120)]
    public string DisplayName { get; set; } = AppRegistrationOptions.DefaultDisplayName;

    /// <summary>Delegated permissions: Default (the module's documented set), Minimal (Graph User.Read), or resource/name values such as Graph/Sites.Read.All.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Permission { get; set; }

    /// <summary>The tenant id or domain to register the app in; by default the tenant of the account that signs in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TenantId")]
    public string? Tenant { get; set; }

    /// <summary>Takes over an app of the same name that Register-M365App did not make (marks it and brings it up to date).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Does not save the app as the module's default.</summary>
    [Parameter]
    public SwitchParameter NoSave { get; set; }

    protected override void ProcessRecord()
    {
        AppRegistrationOptions options;
        try
        {
            options = new AppRegistrationOptions
            {
                DisplayName = DisplayName.Trim(),
                Permissions = PermissionRequest.Parse(Permission),
                Force = Force,
                ReplicationTimeout = TimeSpan.FromSeconds(Timeout),
                Approve = BootstrapConnection.Approver(this),
            };
        }
        catch (M365Exception ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target));
            return;
        }

        var (connection, transport) = SignInForRegistration(Tenant);
        try
        {
            Register(connection, transport.Client, options);
        }
        finally
        {
            EndSignIn(connection);
        }
    }

    private void Register(Connection connection, System.Net.Http.HttpClient client, AppRegistrationOptions options)
    {
        var progress = new ProgressRecord(2, "Register-M365App", "Waiting for the new app to replicate");
        var post = BoundPost();
        options.Progress = line => post(() => WriteProgress(new ProgressRecord(2, "Register-M365App", line)));
        options.Verbose = line => post(() => WriteVerbose(line));
        var registrar = new AppRegistrar(connection, connection.Requests.WithVerbose(line => Post(() => WriteVerbose(line))).WithDebug(DebugSink()), client);
        AppRegistrationResult result;
        try
        {
            result = Await(ct => registrar.RegisterAsync(options, ct));
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex is M365Exception m ? m.Target ?? DisplayName : DisplayName));
            return;
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        if (string.IsNullOrEmpty(result.AppId))
        {
            return; // -WhatIf: the calls were listed.
        }

        var saved = !NoSave && SavedRegistration.Save(this, result.AppId, result.TenantDomain ?? result.TenantId, connection.Cloud.Name);
        WriteObject(new M365AppRegistration(result, saved));
        if (result.AdminConsentUrl is { } url)
        {
            WriteError(ErrorRecords.Create(
                RegistrationErrorIds.AdminConsentRequired,
                ErrorCategory.PermissionDenied,
                result.AppId,
                $"The app '{result.DisplayName}' ({result.AppId}) is registered, but you may not grant consent for the tenant: {result.PermissionsPendingConsent.Count} permissions need an administrator's consent.",
                "Send this URL to an administrator, who opens it and accepts: " + url));
        }
    }
}
