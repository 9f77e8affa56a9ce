using System.Linq;
using M365.Core.Registration;

namespace M365.PowerShell.Models;

/// <summary>What Register-M365App registered: the app, what it may do and what still needs an administrator. Never a secret.</summary>
public sealed class M365AppRegistration
{
    internal M365AppRegistration(AppRegistrationResult result, bool saved, string? pfxPath = null, string? cerPath = null, bool sandbox = false)
    {
        AppOnly = result.AppOnly;
        CertificateThumbprint = result.CertificateThumbprint;
        CertificatePath = result.CertificateThumbprint is null ? null : pfxPath;
        CertificatePaths = result.CertificateThumbprint is null ? new string[0] : new[] { pfxPath, cerPath }.Where(p => p is not null).Select(p => p!).ToArray();
        FederatedCredentials = result.FederatedCredentials.Select(c => c.ToString()).ToArray();
        string tenant = result.TenantDomain ?? result.TenantId;
        PipelineSnippet = result.FederatedCredentials.Count == 0 ? null
            : string.Join("\n\n", result.FederatedCredentials.Select(c => $"# {c.Source}: {c.Subject}\n" + c.Snippet(result.AppId, tenant)));
        ConnectCommand = CertificatePath is { } pfx
            ? $"Connect-M365 {(sandbox ? "-Sandbox " : string.Empty)}-AppId {result.AppId} -Tenant {tenant} -CertificatePath '{pfx.Replace("'", "''")}' -CertificatePassword (Read-Host -AsSecureString 'PFX password')"
            : Connect(result, saved, tenant, sandbox ? "-Sandbox " : string.Empty);
        AppId = result.AppId;
        DisplayName = result.DisplayName;
        TenantId = result.TenantId;
        TenantDomain = result.TenantDomain;
        ObjectId = result.ObjectId;
        ServicePrincipalId = result.ServicePrincipalId;
        PermissionsGranted = result.PermissionsGranted.ToArray();
        PermissionsPendingConsent = result.PermissionsPendingConsent.ToArray();
        AdminConsentUrl = result.AdminConsentUrl;
        Created = result.Created.ToArray();
        Reused = result.Reused.ToArray();
        SignInReady = result.SignInReady;
        Saved = saved;
    }

    /// <summary>The app (client) id to sign in with: Connect-M365 -AppId.</summary>
    public string AppId { get; }

    public string DisplayName { get; }

    public string TenantId { get; }

    /// <summary>The tenant's initial domain (contoso.onmicrosoft.com): Connect-M365 -Tenant with it also knows the SharePoint host.</summary>
    public string? TenantDomain { get; }

    /// <summary>The application object's id.</summary>
    public string ObjectId { get; }

    /// <summary>The service principal's object id.</summary>
    public string? ServicePrincipalId { get; }

    /// <summary>Permissions granted for the whole tenant, as resource/name: delegated ones consented to for all users, or (app-only) application permissions assigned.</summary>
    public string[] PermissionsGranted { get; }

    /// <summary>Permissions asked for that still need an administrator's consent (<see cref="AdminConsentUrl"/>).</summary>
    public string[] PermissionsPendingConsent { get; }

    /// <summary>The URL an administrator opens to consent; null when nothing is pending.</summary>
    public string? AdminConsentUrl { get; }

    /// <summary>What this run made: Application, ServicePrincipal, Grant:&lt;resource&gt;.</summary>
    public string[] Created { get; }

    /// <summary>What existed and was kept or brought up to date.</summary>
    public string[] Reused { get; }

    /// <summary>True when Entra ID knew the app (no AADSTS700016) before the command ended.</summary>
    public bool SignInReady { get; }

    /// <summary>True when the app id and tenant were saved as the module's default.</summary>
    public bool Saved { get; }

    /// <summary>True for an app-only app: application permissions, signs in with a certificate or a federated token.</summary>
    public bool AppOnly { get; }

    /// <summary>The thumbprint of the certificate the app trusts (this run's), or null.</summary>
    public string? CertificateThumbprint { get; }

    /// <summary>The PFX (with the private key) to sign in with: the one written for a new certificate, or the -CertificatePath PFX; null otherwise.</summary>
    public string? CertificatePath { get; }

    /// <summary>The certificate files: the new certificate's PFX and CER, or the file given.</summary>
    public string[] CertificatePaths { get; }

    /// <summary>The federated credentials the app has for the pipelines asked for: name (issuer, subject).</summary>
    public string[] FederatedCredentials { get; }

    /// <summary>The workflow or pipeline lines to sign in with from GitHub Actions or Azure DevOps, or null.</summary>
    public string? PipelineSnippet { get; }

    /// <summary>The Connect-M365 line to use next (the PFX password is asked for, never shown).</summary>
    public string ConnectCommand { get; }

    public override string ToString() => $"{DisplayName} ({AppId})";

    private static string Connect(AppRegistrationResult result, bool saved, string tenant, string sandbox)
    {
        string app = $"-AppId {result.AppId} -Tenant {tenant}";
        if (!result.AppOnly)
        {
            return saved ? $"Connect-M365 {sandbox}".TrimEnd() : $"Connect-M365 {sandbox}{app}";
        }

        return result.CertificateThumbprint is null
            ? $"Connect-M365 {sandbox}-FederatedIdentity {app}"
            : $"Connect-M365 {sandbox}{app} -Thumbprint {result.CertificateThumbprint}";
    }
}
