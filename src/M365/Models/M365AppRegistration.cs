using M365.Core.Registration;

namespace M365.PowerShell.Models;

/// <summary>What Register-M365App registered: the app, what it may do and what still needs an administrator. Never a secret.</summary>
public sealed class M365AppRegistration
{
    internal M365AppRegistration(AppRegistrationResult result, bool saved)
    {
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

    /// <summary>Delegated permissions consented to for all users, as resource/name.</summary>
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

    public override string ToString() => $"{DisplayName} ({AppId})";
}
