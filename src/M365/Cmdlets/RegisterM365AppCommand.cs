using System;
using System.Management.Automation;
using System.Security;
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

    /// <summary>The permissions: Default (the module's documented set), Minimal, or resource/name values such as Graph/Sites.Read.All; application permissions with -AppOnly.</summary>
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

    /// <summary>Registers an app-only app: application permissions (app role assignments) and a certificate, no public client flows.</summary>
    [Parameter]
    public SwitchParameter AppOnly { get; set; }

    /// <summary>An existing certificate (.cer, .crt, .pem, or .pfx/.p12 with -CertificatePassword) whose public part is added to the app; implies -AppOnly.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>The password of the -CertificatePath PFX, or of the new certificate's PFX (then mandatory).</summary>
    [Parameter]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>Where the new certificate's PFX and CER are written (default the current folder); an existing file is replaced only with -Force.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateOutputDirectory { get; set; }

    /// <summary>How long the new certificate is valid, in days (default 365).</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int CertificateValidityDays { get; set; } = 365;

    /// <summary>A GitHub repository (org/repo) whose Actions jobs may sign in as the app with their OIDC token (a federated credential); implies app-only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GitHubRepository { get; set; }

    /// <summary>The GitHub deployment environment the jobs run in (subject repo:org/repo:environment:NAME).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GitHubEnvironment { get; set; }

    /// <summary>The branch the GitHub jobs run on (subject repo:org/repo:ref:refs/heads/NAME); default main when no -GitHubEnvironment is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GitHubBranch { get; set; }

    /// <summary>An Azure DevOps workload identity federation service connection, organization/project/connection, that may sign in as the app; implies app-only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AzureDevOpsServiceConnection { get; set; }

    /// <summary>The Azure DevOps organization's id, as the service connection's issuer names it (https://vstoken.dev.azure.com/&lt;id&gt;).</summary>
    [Parameter]
    public Guid AzureDevOpsOrganizationId { get; set; }

    protected override void ProcessRecord()
    {
        AppRegistrationOptions options;
        RegistrationCertificate? certificate;
        try
        {
            var federated = AppOnlyArguments.FederatedCredentials(this);
            bool appOnly = AppOnly || CertificatePath is not null || federated.Count > 0;
            certificate = AppOnlyArguments.Certificate(this, appOnly, federated.Count > 0);
            options = new AppRegistrationOptions
            {
                DisplayName = DisplayName.Trim(),
                Permissions = PermissionRequest.Parse(Permission, appOnly),
                AppOnly = appOnly,
                Certificate = certificate?.Certificate,
                FederatedCredentials = federated,
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
            if (certificate is not null && !WriteCertificate(certificate))
            {
                options.Certificate = null;
            }

            Register(connection, transport.Client, options, certificate);
        }
        finally
        {
            EndSignIn(connection);
            certificate?.Certificate.Dispose();
        }
    }

    // The new certificate's files are written before the app trusts it, so that its private key is never lost; -WhatIf
    // writes none but still lists the keyCredentials PATCH.
    private bool WriteCertificate(RegistrationCertificate certificate)
    {
        try
        {
            return certificate.WriteFiles(this, CertificatePassword!, Force) || IsWhatIf();
        }
        catch (M365Exception ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target));
            return false;
        }
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? w is SwitchParameter s && s.IsPresent : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    private void Register(Connection connection, System.Net.Http.HttpClient client, AppRegistrationOptions options, RegistrationCertificate? certificate)
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

        var saved = !NoSave && !result.AppOnly && SavedRegistration.Save(this, result.AppId, result.TenantDomain ?? result.TenantId, connection.Cloud.Name);
        if (result.AppOnly && !NoSave)
        {
            // A plain Connect-M365 is a user's sign-in (device code or browser), which an app-only app cannot do: saving it
            // would break that and replace the delegated default. Its output's ConnectCommand is the line to use instead.
            WriteVerbose($"The app-only app {result.AppId} is not saved as the module's default: a plain Connect-M365 signs a user in, which it cannot do. Use the ConnectCommand of the output.");
        }

        WriteObject(new M365AppRegistration(result, saved, certificate?.PfxPath, certificate?.CerPath, Sandbox));
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
