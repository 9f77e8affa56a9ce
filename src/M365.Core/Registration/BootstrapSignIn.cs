using System;
using M365.Core.Authentication;
using M365.Core.Clouds;

namespace M365.Core.Registration
{
    /// <summary>
    /// The sign-in a registration runs under: a Microsoft first-party public client every tenant has. It is used for the
    /// registration only: never made a session's connection and never persisted.
    /// </summary>
    public static class BootstrapSignIn
    {
        /// <summary>
        /// Azure CLI, as <c>m365 setup</c> uses it. Why this one: the module asks each resource for <c>/.default</c>, and
        /// Microsoft pre-authorizes Azure CLI on Graph for exactly what a registration needs (Application.ReadWrite.All,
        /// DelegatedPermissionGrant.ReadWrite.All, AppRoleAssignment.ReadWrite.All), so the sign-in needs no consent of its
        /// own and leaves nothing behind in the tenant. Microsoft Graph Command Line Tools
        /// (<c>14d82eec-204b-4c2f-b7e8-296a70dab67e</c>) would need dynamic scopes, which the token store does not ask for,
        /// and its first admin sign-in leaves a tenant-wide consent to that app. Azure PowerShell would do as well as Azure CLI.
        /// </summary>
        public const string AzureCliAppId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

        /// <summary>The sign-in options (the caller adds its prompts): device code, or the browser when <paramref name="interactive"/>.</summary>
        /// <param name="bootstrapAppId">-BootstrapAppId, or null for <see cref="AzureCliAppId"/>.</param>
        /// <param name="tenant">The tenant, or null ("organizations"; the sandbox's own tenant with the sandbox).</param>
        public static SignInOptions Options(string? bootstrapAppId, string? tenant, CloudEnvironment cloud, bool interactive, bool sandbox, TimeSpan timeout) => new SignInOptions
        {
            AppId = string.IsNullOrWhiteSpace(bootstrapAppId) ? AzureCliAppId : bootstrapAppId!.Trim(),
            // A personal Microsoft account has no directory to register an app in.
            Tenant = tenant ?? (sandbox ? null : "organizations"),
            Cloud = cloud ?? throw new ArgumentNullException(nameof(cloud)),
            AuthenticationType = interactive ? AuthenticationType.Interactive : AuthenticationType.DeviceCode,
            ConnectionName = "Register-M365App bootstrap",
            Timeout = timeout,
        };
    }
}
