using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Clouds;

namespace M365.Core.Authentication
{
    /// <summary>Everything needed to sign in. Only the members of the chosen <see cref="AuthenticationType"/> are used.</summary>
    public sealed class SignInOptions
    {
        /// <summary>The PnP Management Shell app id, the last-resort default (it was removed from many tenants in 2024).</summary>
        public const string PnPManagementShellAppId = "31359c7f-bd7e-475c-86db-fdb8c937548e";

        /// <summary>How to sign in. Default: device code.</summary>
        public AuthenticationType AuthenticationType { get; set; } = AuthenticationType.DeviceCode;

        /// <summary>The Entra ID application (client) id; null to use <see cref="ResolveAppId"/>'s default.</summary>
        public string? AppId { get; set; }

        /// <summary>The tenant: a GUID or domain. Null means <c>organizations</c> for delegated sign-in; app-only sign-in requires it.</summary>
        public string? Tenant { get; set; }

        /// <summary>The cloud. Default: Public.</summary>
        public CloudEnvironment Cloud { get; set; } = CloudEnvironment.Public;

        /// <summary>The connection's name; null to derive one from the identity and tenant.</summary>
        public string? ConnectionName { get; set; }

        /// <summary>The client secret for <see cref="AuthenticationType.ClientSecret"/>. Converted to a string only when handed to MSAL.</summary>
        public SecureString? ClientSecret { get; set; }

        /// <summary>The certificate (with private key) for <see cref="AuthenticationType.Certificate"/>.</summary>
        public X509Certificate2? Certificate { get; set; }

        /// <summary>Send the certificate chain (x5c) with the assertion, for subject-name/issuer auth. Default false.</summary>
        public bool SendCertificateChain { get; set; }

        /// <summary>The client id of a user-assigned managed identity; null for the system-assigned identity.</summary>
        public string? ManagedIdentityClientId { get; set; }

        /// <summary>The user name for <see cref="AuthenticationType.Credential"/>.</summary>
        public string? UserName { get; set; }

        /// <summary>The password for <see cref="AuthenticationType.Credential"/>. Used for the first sign-in only, never kept.</summary>
        public SecureString? Password { get; set; }

        /// <summary>The token for <see cref="AuthenticationType.AccessToken"/>.</summary>
        public string? AccessToken { get; set; }

        /// <summary>
        /// The resource of <see cref="AccessToken"/> (a name such as Graph, or a URL); null to read it from the token's <c>aud</c> claim.
        /// </summary>
        public string? AccessTokenResource { get; set; }

        /// <summary>
        /// For <see cref="AuthenticationType.FederatedIdentity"/>: a file holding the federated token, read again whenever a new
        /// assertion is needed; null to find the source in the environment.
        /// </summary>
        public string? FederatedTokenFile { get; set; }

        /// <summary>
        /// For <see cref="AuthenticationType.FederatedIdentity"/>: a federated token the caller already has. It cannot be
        /// renewed, so the connection fails once it expires. Converted to a string only when handed to MSAL.
        /// </summary>
        public SecureString? ClientAssertion { get; set; }

        /// <summary>For a federated sign-in in Azure DevOps: the service connection's id; null for AZURESUBSCRIPTION_SERVICE_CONNECTION_ID.</summary>
        public string? ServiceConnectionId { get; set; }

        /// <summary>Reads an environment variable for a federated sign-in (tests inject one); null for the process environment.</summary>
        public Func<string, string?>? EnvironmentVariables { get; set; }

        /// <summary>
        /// Shows the device code to the user. Required for <see cref="AuthenticationType.DeviceCode"/>; a non-interactive host
        /// leaves it null and gets a clear error instead of a hang.
        /// </summary>
        public Func<DeviceCodePrompt, CancellationToken, Task>? DeviceCodeCallback { get; set; }

        /// <summary>For <see cref="AuthenticationType.Interactive"/>: the account (UPN) to pre-fill on the sign-in page, or null.</summary>
        public string? LoginHint { get; set; }

        /// <summary>
        /// For <see cref="AuthenticationType.Interactive"/> where no browser can be opened: shows the sign-in URL and the reason
        /// (a clause). The sign-in keeps listening for <see cref="BrowserFallbackDelay"/>, then continues with a device code
        /// shown by <see cref="DeviceCodeCallback"/>.
        /// </summary>
        public Func<Uri, string, CancellationToken, Task>? SignInUrlCallback { get; set; }

        /// <summary>Shows a verbose line (e.g. how an interactive sign-in opens its page), or null.</summary>
        public Action<string>? VerboseCallback { get; set; }

        /// <summary>Shows a warning (e.g. why an interactive sign-in fell back to a device code), or null.</summary>
        public Action<string>? WarningCallback { get; set; }

        /// <summary>How long an interactive sign-in listens after printing its URL, where no browser opens, before it uses a device code. Default 30 seconds.</summary>
        public TimeSpan BrowserFallbackDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>What the machine says about opening a browser (tests pin it); null for this process's environment.</summary>
        internal Browser.BrowserEnvironment? BrowserEnvironment { get; set; }

        /// <summary>How the sign-in page is opened (tests answer it without a browser); null to run the real launcher.</summary>
        internal Browser.IBrowserLauncher? BrowserLauncher { get; set; }

        /// <summary>
        /// Persist this delegated sign-in across sessions (-PersistLogin); null or not enabled keeps everything in memory.
        /// Refused for app-only sign-in and in Azure Automation.
        /// </summary>
        public Persistence.PersistenceOptions? Persistence { get; set; }

        /// <summary>How long the initial sign-in may take. Default 15 minutes (the device code lifetime).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

        /// <summary>The user's saved defaults (Set-M365Setting); null when none were read. Only its app id is used here.</summary>
        public Settings.M365Settings? SavedSettings { get; set; }

        /// <summary>
        /// The app id to use: <see cref="AppId"/>, else the environment variable CLIMICROSOFT365_AADAPPID, then CLIMICROSOFT365_ENTRAAPPID,
        /// else the saved default (<see cref="SavedSettings"/>), else <see cref="PnPManagementShellAppId"/>.
        /// </summary>
        public string ResolveAppId() => ResolveAppIdWithSource().AppId;

        /// <summary>The app id to use and where it came from (see <see cref="ResolveAppId"/> for the order).</summary>
        public (string AppId, AppIdSource Source) ResolveAppIdWithSource()
        {
            if (NonEmpty(AppId) is { } explicitId)
            {
                return (explicitId, AppIdSource.Parameter);
            }

            if (FromEnvironment() is { } fromEnvironment)
            {
                return fromEnvironment;
            }

            return NonEmpty(SavedSettings?.AppId) is { } saved ? (saved, AppIdSource.Setting) : (PnPManagementShellAppId, AppIdSource.Default);
        }

        /// <summary>The app id the environment names now (CLIMICROSOFT365_AADAPPID, then CLIMICROSOFT365_ENTRAAPPID), if any.</summary>
        public static (string AppId, AppIdSource Source)? FromEnvironment()
        {
            if (NonEmpty(Environment.GetEnvironmentVariable(AadAppIdVariable)) is { } aad)
            {
                return (aad, AppIdSource.AadAppIdVariable);
            }

            if (NonEmpty(Environment.GetEnvironmentVariable(EntraAppIdVariable)) is { } entra)
            {
                return (entra, AppIdSource.EntraAppIdVariable);
            }

            return null;
        }

        /// <summary>The CLI for Microsoft 365's variable for the app id (checked first).</summary>
        public const string AadAppIdVariable = "CLIMICROSOFT365_AADAPPID";

        /// <summary>The newer name of the same variable (checked second).</summary>
        public const string EntraAppIdVariable = "CLIMICROSOFT365_ENTRAAPPID";

        /// <inheritdoc />
        public override string ToString() => $"{AuthenticationType} sign-in to {Tenant ?? "organizations"} ({Cloud.Name})";

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
