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

        /// <summary>Granted tenant-wide (AllPrincipals), as <c>resource/name</c>.</summary>
        public List<string> PermissionsGranted { get; } = new List<string>();

        /// <summary>Asked for but not consented to: an administrator opens <see cref="AdminConsentUrl"/>.</summary>
        public List<string> PermissionsPendingConsent { get; } = new List<string>();

        /// <summary>The URL an administrator opens to consent, when some permissions still need it.</summary>
        public string? AdminConsentUrl { get; internal set; }

        /// <summary>What was made by this run (Application, ServicePrincipal, Grant:&lt;resource&gt;…).</summary>
        public List<string> Created { get; } = new List<string>();

        /// <summary>What existed and was kept or brought up to date.</summary>
        public List<string> Reused { get; } = new List<string>();

        /// <summary>True when the new app answered a sign-in request before the command ended.</summary>
        public bool SignInReady { get; internal set; }

        public override string ToString() => $"{DisplayName} ({AppId})";
    }
}
