using System.Collections.Generic;

namespace M365.Core.Registration
{
    /// <summary>What Register-M365App did: the app, the permissions granted and those still needing an administrator's consent.</summary>
    public sealed class AppRegistrationResult
    {
        public string AppId { get; internal set; } = string.Empty;

        public string DisplayName { get; internal set; } = string.Empty;

        public string TenantId { get; internal set; } = string.Empty;

        /// <summary>The tenant's initial domain (contoso.onmicrosoft.com), or null when Graph lists none.</summary>
        public string? TenantDomain { get; internal set; }

        /// <summary>The application's object id.</summary>
        public string ObjectId { get; internal set; } = string.Empty;

        /// <summary>The service principal's object id.</summary>
        public string? ServicePrincipalId { get; internal set; }

        /// <summary>Granted tenant-wide (delegated: AllPrincipals consent; app-only: app role assignments), as <c>resource/name</c>.</summary>
        public List<string> PermissionsGranted { get; } = new List<string>();

        /// <summary>Asked for but not consented to: an administrator opens <see cref="AdminConsentUrl"/>.</summary>
        public List<string> PermissionsPendingConsent { get; } = new List<string>();

        /// <summary>The URL an administrator opens to consent, when some permissions still need it.</summary>
        public string? AdminConsentUrl { get; internal set; }

        /// <summary>What was made by this run (Application, ServicePrincipal, Grant:&lt;resource&gt;, Roles:&lt;resource&gt;, KeyCredential, FederatedCredential:&lt;name&gt;).</summary>
        public List<string> Created { get; } = new List<string>();

        /// <summary>What existed and was kept or brought up to date.</summary>
        public List<string> Reused { get; } = new List<string>();

        /// <summary>True for an app-only registration (application permissions; signs in with a certificate or a federated token).</summary>
        public bool AppOnly { get; internal set; }

        /// <summary>The thumbprint of the certificate in the app's keyCredentials (this run's), or null.</summary>
        public string? CertificateThumbprint { get; internal set; }

        /// <summary>The federated credentials the app has for the pipelines asked for (made or kept).</summary>
        public List<FederatedCredentialRequest> FederatedCredentials { get; } = new List<FederatedCredentialRequest>();

        /// <summary>True when the new app answered a sign-in request before the command ended.</summary>
        public bool SignInReady { get; internal set; }

        public override string ToString() => $"{DisplayName} ({AppId})";
    }
}
