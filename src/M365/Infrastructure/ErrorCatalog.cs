using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Http;
using M365.Core.Registration;
using M365.Core.Resources;
using M365.Core.Services;
using M365.Core.Settings;

namespace M365.PowerShell.Infrastructure;

/// <summary>One error id the module raises: its category, its cause and its fix, as README's table and about_M365 show them.</summary>
public sealed class ErrorCatalogEntry
{
    public ErrorCatalogEntry(string id, ErrorCategory category, string cause, string fix)
    {
        Id = id;
        Category = category;
        Cause = cause;
        Fix = fix;
    }

    /// <summary>The stable id (a constant of one of the <c>*ErrorIds</c> classes).</summary>
    public string Id { get; }

    public ErrorCategory Category { get; }

    /// <summary>What causes it (Markdown: `code` spans), as README's "cause" column.</summary>
    public string Cause { get; }

    /// <summary>What to do, as README's "what to do" column.</summary>
    public string Fix { get; }
}

/// <summary>
/// Every error id the module raises, with the category its error records get, its cause and its fix: the one source
/// of the categories (<see cref="ErrorRecords"/>), of about_M365's ERRORS section (generated at build time by
/// src/M365.HelpGenerator, which fails the build when an <c>*ErrorIds</c> constant is missing here) and of README's
/// error table (a test compares them). A new id is one line here, in README's order.
/// </summary>
public static class ErrorCatalog
{
    /// <summary>The entries, in README's order.</summary>
    public static readonly IReadOnlyList<ErrorCatalogEntry> Entries = new[]
    {
        E(AuthenticationErrorIds.AppNotFound, ErrorCategory.ObjectNotFound, "AADSTS700016: the app is not in the tenant", "register an app, then pass `-AppId`, set `CLIMICROSOFT365_AADAPPID`, or save it with `Set-M365Setting -AppId`"),
        E(AuthenticationErrorIds.PublicClientFlowsDisabled, ErrorCategory.InvalidOperation, "AADSTS7000218: device code or password on a confidential app", "turn on \"Allow public client flows\" in the app registration"),
        E(AuthenticationErrorIds.ConsentRequired, ErrorCategory.PermissionDenied, "AADSTS65001", "an admin grants consent"),
        E(AuthenticationErrorIds.MfaRequired, ErrorCategory.AuthenticationError, "AADSTS50076/50079", "use device code or a certificate"),
        E(AuthenticationErrorIds.ConditionalAccessBlocked, ErrorCategory.PermissionDenied, "AADSTS53003", "contact the tenant admin"),
        E(AuthenticationErrorIds.InvalidCredentials, ErrorCategory.AuthenticationError, "AADSTS50126: wrong user name or password", "check both; accounts with MFA use device code"),
        E(AuthenticationErrorIds.InvalidClientSecret, ErrorCategory.AuthenticationError, "AADSTS7000215", "pass a current secret"),
        E(AuthenticationErrorIds.InvalidClientCertificate, ErrorCategory.AuthenticationError, "AADSTS700027", "upload the certificate to the app registration, or renew it"),
        E(AuthenticationErrorIds.TenantNotFound, ErrorCategory.ObjectNotFound, "AADSTS90002, or `-Tenant` is neither a domain nor an id", "give the tenant's domain or id (`contoso.onmicrosoft.com`)"),
        E(AuthenticationErrorIds.ResourceNotInTenant, ErrorCategory.ObjectNotFound, "AADSTS500011: the resource's service principal is not in the tenant", "check the resource URL and that the service is licensed"),
        E(AuthenticationErrorIds.ReauthenticationRequired, ErrorCategory.AuthenticationError, "refresh token expired or revoked (AADSTS700082, 50173, 700084), also when a service's claims challenge (Continuous Access Evaluation) needs a new sign-in", "run `Connect-M365` again"),
        E(AuthenticationErrorIds.ClaimsChallengeFailed, ErrorCategory.AuthenticationError, "a service challenged again (Continuous Access Evaluation) after a token with the claims it asked for, or Entra ID refused that token; the message says why", "run `Connect-M365` again; if it persists, ask the admin which Conditional Access policy applies"),
        E(AuthenticationErrorIds.SignInTimedOut, ErrorCategory.OperationTimeout, "the sign-in did not finish within `-Timeout`", "sign in again, in time"),
        E(AuthenticationErrorIds.DeviceCodeExpired, ErrorCategory.OperationTimeout, "the device code was not used within 15 minutes", "sign in again"),
        E(AuthenticationErrorIds.DeviceCodeDeclined, ErrorCategory.AuthenticationError, "the user declined the sign-in", "sign in again and accept"),
        E(ErrorIds.DeviceCodeNonInteractive, ErrorCategory.InvalidOperation, "device code in a runbook or `-NonInteractive` session", "sign in app-only"),
        E(ErrorIds.BrowserSignInNonInteractive, ErrorCategory.InvalidOperation, "`-Interactive` in a runbook or `-NonInteractive` session", "sign in app-only"),
        E(AuthenticationErrorIds.RedirectUriNotRegistered, ErrorCategory.InvalidOperation, "AADSTS50011 (or 500113): the app has no `http://localhost` redirect URI, found before the browser opens", "add `http://localhost` as a Mobile and desktop applications redirect URI"),
        E(AuthenticationErrorIds.BrowserSignInCancelled, ErrorCategory.AuthenticationError, "`access_denied`: the user cancelled the browser sign-in or declined consent (AADSTS65004)", "sign in again and accept"),
        E(AuthenticationErrorIds.DeviceCodeCallbackMissing, ErrorCategory.InvalidOperation, "a host program called M365.Core without a device-code callback", "pass one (programs hosting M365.Core only)"),
        E(AuthenticationErrorIds.AuthorityUnreachable, ErrorCategory.ConnectionError, "Entra ID, the managed identity endpoint or the sandbox could not be reached", "check the network and proxy; with `-Sandbox`, that the sandbox runs"),
        E(AuthenticationErrorIds.TokenRequestFailed, ErrorCategory.ConnectionError, "another Entra ID refusal; the message carries its AADSTS line", "read the AADSTS line"),
        E(AuthenticationErrorIds.ManagedIdentityUnavailable, ErrorCategory.ResourceUnavailable, "no managed identity on this host", "enable one, or check `-ManagedIdentityClientId`"),
        E(AuthenticationErrorIds.FederatedTokenUnavailable, ErrorCategory.ResourceUnavailable, "`-FederatedIdentity` found no token source: not in a pipeline, a GitHub job without `permissions: id-token: write`, an Azure DevOps step without `SYSTEM_ACCESSTOKEN` in its `env:` (the message lists what each source needs)", "run in the pipeline, add what the message names, or pass `-FederatedTokenFile`/`-ClientAssertion`"),
        E(AuthenticationErrorIds.FederatedTokenRequestFailed, ErrorCategory.ConnectionError, "the pipeline's OIDC token endpoint could not be reached, refused the request (401, 404) or answered without a token", "check the job's id-token permission, the service connection id and the `SYSTEM_ACCESSTOKEN` mapping"),
        E(AuthenticationErrorIds.FederatedTokenFileNotFound, ErrorCategory.ObjectNotFound, "the `-FederatedTokenFile` or `AZURE_FEDERATED_TOKEN_FILE` file does not exist", "check the path; in Kubernetes, enable workload identity on the pod"),
        E(AuthenticationErrorIds.FederatedTokenFileUnreadable, ErrorCategory.InvalidData, "the federated token file cannot be read, is empty or holds no JWT", "point it at the workload's token file, readable by this user"),
        E(AuthenticationErrorIds.FederatedCredentialMismatch, ErrorCategory.AuthenticationError, "AADSTS70021, 700211, 700212, 700213, 7002138: no federated credential of the app matches the token's issuer, subject and audience (the message names them; case matters)", "add a federated credential with exactly that issuer, subject and audience `api://AzureADTokenExchange`"),
        E(AuthenticationErrorIds.FederatedCredentialMissing, ErrorCategory.AuthenticationError, "AADSTS70025: the app has no federated credentials", "add one for the pipeline's issuer and subject"),
        E(AuthenticationErrorIds.ClientAssertionExpired, ErrorCategory.AuthenticationError, "AADSTS700024: the federated token was outside its valid time range (a `-ClientAssertion` token cannot be renewed)", "bring a fresh token or use `-FederatedIdentity`; check the clock"),
        E(AuthenticationErrorIds.ClientAssertionLifetimeTooLong, ErrorCategory.AuthenticationError, "AADSTS70023: the federated token is valid for longer than 1 day and 1 hour", "issue tokens with a shorter lifetime"),
        E(AuthenticationErrorIds.YammerRequiresDelegatedAuth, ErrorCategory.InvalidOperation, "Yammer on an app-only connection", "sign in as a user"),
        E(AuthenticationErrorIds.AccessTokenExpired, ErrorCategory.AuthenticationError, "the `-AccessToken` token expired", "bring a new token, or sign in"),
        E(AuthenticationErrorIds.AccessTokenResourceMismatch, ErrorCategory.InvalidArgument, "a `-AccessToken` connection asked for another resource", "bring a token for that resource"),
        E(AuthenticationErrorIds.SignInOptionsInvalid, ErrorCategory.InvalidArgument, "contradictory sign-in options (app-only without a tenant, `-PersistLogin` with app-only)", "change the parameters"),
        E(ErrorIds.EnvironmentNotFound, ErrorCategory.InvalidArgument, "unknown `-Environment`", "use Public, USGov, USGovDoD or China"),
        E(ErrorIds.CertificateNotFound, ErrorCategory.ObjectNotFound, "no such PFX file, or no certificate with that thumbprint", "check `-CertificatePath` or `-Thumbprint`"),
        E(ErrorIds.CertificateInvalid, ErrorCategory.InvalidData, "the PFX cannot be opened (not a PFX, wrong password, unreadable)", "check the file and `-CertificatePassword`"),
        E(ErrorIds.ConnectionNotFound, ErrorCategory.ObjectNotFound, "no current connection: no `Connect-M365` in this session, or the current one was disconnected (the message names the open ones)", "connect, or pass `-Connection <name>`"),
        E(ErrorIds.ConnectionNameNotFound, ErrorCategory.ObjectNotFound, "`-Connection` or `-Name` names no connection of this session (the message names the open ones)", "`Get-M365Connection -All` lists them"),
        E(ErrorIds.ConnectionDeserialized, ErrorCategory.InvalidArgument, "a connection copied into another process (`Start-Job`, `Invoke-Command`, `Import-Clixml`): its tokens stayed behind", "use `Start-ThreadJob` or `ForEach-Object -Parallel`, or `Connect-M365` in the job"),
        E(AuthenticationErrorIds.ConnectionClosed, ErrorCategory.InvalidOperation, "the connection was disconnected (`Disconnect-M365`)", "run `Connect-M365` again and use the new connection"),
        E(PersistenceErrorIds.PersistedConnectionNotFound, ErrorCategory.ObjectNotFound, "no persisted sign-in of that name", "`Connect-M365 -PersistLogin -Name <n>`"),
        E(PersistenceErrorIds.PersistedConnectionInvalid, ErrorCategory.InvalidData, "a persisted sign-in's record or token cache is damaged, or was made with `-Sandbox` and resumed without it (or the reverse)", "`Disconnect-M365 -Name <n>`, then `Connect-M365 -PersistLogin -Name <n>`; or resume with (without) `-Sandbox`"),
        E(AuthenticationErrorIds.TokenCachePersistenceUnavailable, ErrorCategory.ResourceUnavailable, "no keyring for `-PersistLogin`", "add `-AllowUnencryptedTokenCache`, or set up a keyring"),
        E(AuthenticationErrorIds.TokenCachePathInvalid, ErrorCategory.SecurityError, "the cache folder is not absolute, or a cache file is a link", "fix `$env:M365_TOKEN_CACHE_DIRECTORY` or `HOME`; remove the link"),
        E(AuthenticationErrorIds.TokenCacheInsecure, ErrorCategory.SecurityError, "the cache folder or a cache file belongs to another user, or the folder is writable by others (Unix)", "remove it so M365 creates it private, or point `$env:M365_TOKEN_CACHE_DIRECTORY` at a folder only you own"),
        E(SettingsErrorIds.SettingsFileInvalid, ErrorCategory.InvalidData, "the settings file is not JSON, holds a value of the wrong kind, or is over 64 KB", "`Clear-M365Setting` deletes it; then `Set-M365Setting` again"),
        E(SettingsErrorIds.SettingsFileInsecure, ErrorCategory.SecurityError, "the settings folder or file belongs to another user, is a link, or the folder is writable by others (Unix)", "remove it so M365 creates it private, or point `$env:M365_SETTINGS_DIRECTORY` at a folder only you own"),
        E(SettingsErrorIds.SettingsPathInvalid, ErrorCategory.SecurityError, "the settings folder is not absolute, or the file cannot be written", "fix `$env:M365_SETTINGS_DIRECTORY` or `HOME`"),
        E(SettingsErrorIds.SettingValueInvalid, ErrorCategory.InvalidArgument, "`Set-M365Setting` got an app id that is not a GUID, a tenant that is neither a domain nor an id, an unknown cloud, or nothing to save", "pass the app's client id, `contoso.onmicrosoft.com`, or Public, USGov, USGovDoD or China"),
        E(TransportErrorIds.SandboxDescriptorNotFound, ErrorCategory.ObjectNotFound, "`-Sandbox` found no descriptor file (missing, or a folder)", "start the sandbox; point `$env:M365_SANDBOX` at its `sandbox.json`"),
        E(TransportErrorIds.SandboxDescriptorInvalid, ErrorCategory.InvalidData, "the descriptor is unreadable, over 16 KB, or bad JSON", "restart the sandbox so it writes a fresh one"),
        E(TransportErrorIds.InsecureRequestRefused, ErrorCategory.SecurityError, "a request that is not https, or to a host the sandbox transport does not route, or (a redirect, a nextLink) whose path starts with `//` or `/\\`", "use https URLs of Microsoft 365 hosts"),
        E(ResourceErrorIds.ResourceNameUnknown, ErrorCategory.InvalidArgument, "`-Resource` is not a known name, an https URL, an App ID URI or an app id", "use Graph, SharePoint, SharePointAdmin, …, a URL, or `api://…`"),
        E(ResourceErrorIds.ResourceHostMismatch, ErrorCategory.SecurityError, "`-Resource` names a Microsoft audience for a URL outside its host, or your own audience for a Microsoft host; nothing sent", "leave out `-Resource` for Microsoft 365 URLs; use it with your API's URL and App ID URI"),
        E(ResourceErrorIds.ResourceUrlNotHttps, ErrorCategory.SecurityError, "a resource URL that is not https, or has `user@` before its host", "use a plain https URL"),
        E(ResourceErrorIds.ResourceNotInCloud, ErrorCategory.InvalidArgument, "the URL belongs to another cloud than the connection's", "connect to that cloud (`-Environment`)"),
        E(ResourceErrorIds.SharePointTenantUnknown, ErrorCategory.ObjectNotFound, "the SharePoint host could not be learned from Graph", "connect with `-Tenant <name>.onmicrosoft.com` or pass the SharePoint URL"),
        E(ResourceErrorIds.SharePointTenantInvalid, ErrorCategory.InvalidArgument, "a SharePoint tenant name or URL that is not one", "pass `https://<tenant>.sharepoint.com`"),
        E(HttpErrorIds.RequestTimedOut, ErrorCategory.OperationTimeout, "`-Timeout` passed, every attempt timed out, or learning the SharePoint tenant took longer than its budget", "raise `-Timeout` or each attempt's `Set-M365RequestSetting -RequestTimeout`, connect with `-Tenant <name>.onmicrosoft.com`, or try later"),
        E(HttpErrorIds.RequestThrottled, ErrorCategory.LimitsExceeded, "429 after every retry", "wait and try again; lower the request rate, or raise the retry budget (`Set-M365RequestSetting -MaxRetry 8`)"),
        E(HttpErrorIds.ServiceUnavailable, ErrorCategory.ResourceUnavailable, "503 after every retry", "try again later, or retry longer (`Set-M365RequestSetting -MaxRetry 8 -RetryDelay 5`)"),
        E(HttpErrorIds.GatewayTimeout, ErrorCategory.OperationTimeout, "504 after every retry", "try again later, or retry longer (`Set-M365RequestSetting -MaxRetry 8`)"),
        E(HttpErrorIds.ServiceUnreachable, ErrorCategory.ConnectionError, "a service could not be reached over the network", "check the network and proxy"),
        E(HttpErrorIds.ResourceNotFound, ErrorCategory.ObjectNotFound, "404", "check the URL or id"),
        E(HttpErrorIds.AccessDenied, ErrorCategory.PermissionDenied, "403", "grant the app or user the permission"),
        E(HttpErrorIds.Unauthorized, ErrorCategory.AuthenticationError, "401 even after one token refresh", "check the permissions; sign in again"),
        E(HttpErrorIds.BadRequest, ErrorCategory.InvalidArgument, "400", "read the service's message"),
        E(HttpErrorIds.Conflict, ErrorCategory.ResourceExists, "409", "the object exists or changed meanwhile"),
        E(HttpErrorIds.ServiceError, ErrorCategory.InvalidResult, "another error status", "read the service's message and request id"),
        E(HttpErrorIds.ResponseNotJson, ErrorCategory.InvalidData, "the service answered something that is not JSON", "try again; report the request id"),
        E(HttpErrorIds.ResponseTooLarge, ErrorCategory.LimitsExceeded, "an answer body over the limit (64 MiB by default); not read further", "ask for less (`$select`, `$top`, `$filter`), or raise `Invoke-M365Request -MaximumResponseSize`"),
        E(ServiceErrorIds.ResponseItemInvalid, ErrorCategory.InvalidData, "a list item that is not an object (skipped, the rest go on), or a lookup answered with another object", "do not trust the answer; try again, report the input and time"),
        E(HttpErrorIds.ODataNextLinkLoop, ErrorCategory.InvalidData, "a paged answer points back at a page already read", "report the request id"),
        E(HttpErrorIds.ODataNextLinkForeignHost, ErrorCategory.SecurityError, "a next page on another host (the token is never sent there)", "report the request id"),
        E(HttpErrorIds.ODataPageLimitExceeded, ErrorCategory.LimitsExceeded, "more pages than the limit (1,000 by default); the message names the pages and items read and the next page", "narrow the query (`$filter`, `$top=999`), or raise `Invoke-M365Request -MaximumPageCount`"),
        E(HttpErrorIds.ODataPageInvalid, ErrorCategory.InvalidData, "a page without `value`", "report the request id"),
        E(HttpErrorIds.RedirectToForeignHost, ErrorCategory.SecurityError, "a redirect to another host (not followed, no token sent)", "use the final URL"),
        E(HttpErrorIds.RedirectNotFollowed, ErrorCategory.InvalidResult, "a redirect the module does not follow", "use the final URL"),
        E(ErrorIds.OperationCancelled, ErrorCategory.OperationStopped, "Ctrl+C, or the pipeline stopped", "nothing to do"),
        E(ServiceErrorIds.ServicePrincipalNotFound, ErrorCategory.ObjectNotFound, "no service principal has that app id, object id or display name", "check the id or name; another tenant's app has one here only once consented to"),
        E(ServiceErrorIds.SiteAlreadyExists, ErrorCategory.ResourceExists, "a site already exists at the URL, or a group has the alias", "choose another URL or alias"),
        E(ServiceErrorIds.TeamSiteRequiresDelegatedAuth, ErrorCategory.InvalidOperation, "a team site on an app-only connection", "sign in as a user"),
        E(ServiceErrorIds.SiteParameterInvalid, ErrorCategory.InvalidArgument, "a site option breaks one of the CLI for Microsoft 365's rules (an app-only communication site needs `-Owners`), or a `Get-M365SpoSite` URL is not on the tenant's SharePoint host; nothing sent", "fix the option the message names"),
        E(ServiceErrorIds.SiteCreationFailed, ErrorCategory.InvalidResult, "SharePoint reported that provisioning failed", "read the message; try again"),
        E(ServiceErrorIds.SiteCreationTimedOut, ErrorCategory.OperationTimeout, "the site was still provisioning when the wait ended", "`Get-M365SpoSite -Url <url>` shows its status later; or wait longer (`-Timeout`)"),
        E(ServiceErrorIds.SiteNotFound, ErrorCategory.ObjectNotFound, "`Get-M365SpoSite` found no site at the URL", "check the URL (the site collection's own URL)"),
        E(ServiceErrorIds.SiteRemovalRefused, ErrorCategory.InvalidOperation, "`Remove-M365SpoSite` was given the tenant's root site or its SharePoint admin center, which it never removes; nothing sent", "give a site collection URL such as `https://contoso.sharepoint.com/sites/news`"),
        E(ServiceErrorIds.SiteOperationFailed, ErrorCategory.InvalidResult, "SharePoint refused or failed a site listing, removal or restore, or a new site's hub association (the message is SharePoint's)", "read the message; check the site in the SharePoint admin center"),
        E(ServiceErrorIds.SiteOperationTimedOut, ErrorCategory.OperationTimeout, "a site removal or restore was still running when the wait ended", "SharePoint goes on; do not send it again: in a few minutes `Get-M365SpoSite -Url <url>` shows where it stands"),
        E(ServiceErrorIds.SiteFilterInvalid, ErrorCategory.InvalidArgument, "SharePoint refused `Get-M365SpoSite -Filter`", "write SharePoint's filter: `Url -like 'sales' -and Title -eq 'News'`"),
        E(ServiceErrorIds.SiteResponseInvalid, ErrorCategory.InvalidResult, "SharePoint's creation answer could not be read", "check the site; report the request id"),
        E(ServiceErrorIds.UnknownResource, ErrorCategory.InvalidArgument, "a URL on a host of no known resource, without `-Resource`", "pass `-Resource`"),
        E(ServiceErrorIds.RequestUriInvalid, ErrorCategory.InvalidArgument, "a relative URI without `-Service`, an unusable URI, or a path that starts with `//` or a backslash", "pass an absolute URL, or `-Service`; start the path with one `/`"),
        E(ServiceErrorIds.RequestHeaderInvalid, ErrorCategory.InvalidArgument, "a `-Headers` name or value (or `-ContentType`) with CR, LF or NUL, or an `Authorization` header; nothing sent", "put each header on one line; the module sets `Authorization`"),
        E(ErrorIds.RequestBodyInvalid, ErrorCategory.InvalidArgument, "an `Invoke-M365Request` body that cannot become JSON (a stream, a cycle, a property that cannot be read), or both `-Body` and `-InFile`", "pass a hashtable, an object, a JSON string or a byte array; for a file, `-InFile`"),
        E(ServiceErrorIds.RequestFileNotFound, ErrorCategory.ObjectNotFound, "the `-InFile` of `Invoke-M365Request` does not exist or cannot be read; nothing sent", "check the path (relative to the current location) and that you may read the file"),
        E(ServiceErrorIds.RequestOutFileFailed, ErrorCategory.WriteError, "the answer could not be written to `-OutFile` (no such folder, no permission, disk full); a file already there is left as it was", "check the folder, the permissions and the free space, or give another path"),
        E(ServiceErrorIds.BatchResponseInvalid, ErrorCategory.InvalidResult, "a Graph batch answer lacks one of its answers, or answers one id twice", "retry with `-NoBatch`; report the request id"),
        E(RegistrationErrorIds.AdminConsentRequired, ErrorCategory.PermissionDenied, "`Register-M365App`: the app was created, but the signed-in user may not grant tenant-wide consent (403)", "send the admin-consent URL in the error's fix to an administrator"),
        E(RegistrationErrorIds.PermissionNotFound, ErrorCategory.InvalidArgument, "a `Register-M365App -Permission` value is not a preset nor `<resource>/<name>`, or names a permission the resource does not have (the closest names are given)", "use one of the names the message gives"),
        E(RegistrationErrorIds.PermissionResourceNotFound, ErrorCategory.ObjectNotFound, "a `-Permission` resource has no service principal in the tenant", "leave that resource out of `-Permission`"),
        E(RegistrationErrorIds.AppRegistrationNotOwned, ErrorCategory.ResourceExists, "an app of that `-DisplayName` (or `Unregister-M365App` app id) exists that `Register-M365App` did not make", "choose another `-DisplayName`, or `-Force` to take it over"),
        E(RegistrationErrorIds.AppRegistrationIncomplete, ErrorCategory.InvalidResult, "a registration step failed after others succeeded; what exists is kept and the message says what is missing", "run `Register-M365App` again: it finishes the rest"),
        E(RegistrationErrorIds.AppReplicationTimedOut, ErrorCategory.OperationTimeout, "the new app still answered AADSTS700016 when the wait ended", "wait a few minutes, or rerun with a longer `-Timeout`"),
        E(RegistrationErrorIds.AppRegistrationNotFound, ErrorCategory.ObjectNotFound, "`Unregister-M365App` found no app with that app id", "check the app id and the tenant"),
        E(RegistrationErrorIds.CertificatePasswordRequired, ErrorCategory.InvalidArgument, "`Register-M365App -AppOnly` without `-CertificatePath` makes a new certificate, and its PFX needs `-CertificatePassword`", "add `-CertificatePassword`, or pass `-CertificatePath`"),
        E(RegistrationErrorIds.CertificateFileExists, ErrorCategory.ResourceExists, "a file the new certificate would be written to (`<DisplayName>.pfx`/`.cer` in `-CertificateOutputDirectory`) already exists or is a link", "choose another `-CertificateOutputDirectory`, `-Force` to replace it, or reuse it with `-CertificatePath`"),
        E(RegistrationErrorIds.CertificateFileUnwritable, ErrorCategory.WriteError, "the new certificate's PFX or CER could not be written, or made owner-only", "pass a `-CertificateOutputDirectory` you may write to"),
        E(RegistrationErrorIds.CertificateCreationUnsupported, ErrorCategory.NotImplemented, "this .NET runtime cannot make a self-signed certificate (`CertificateRequest` needs .NET Framework 4.7.2+ or PowerShell 7)", "run in PowerShell 7, or pass your own certificate with `-CertificatePath`"),
        E(RegistrationErrorIds.FederatedCredentialInvalid, ErrorCategory.InvalidArgument, "a `-GitHubRepository`, `-GitHubEnvironment`/`-GitHubBranch`, `-AzureDevOpsServiceConnection` or `-AzureDevOpsOrganizationId` value is malformed, missing its partner, or they conflict", "write them as the message shows"),
        E(RegistrationErrorIds.FederatedCredentialConflict, ErrorCategory.ResourceExists, "the app has a federated credential of that name for another issuer or subject; it is left alone", "delete the stale credential, then rerun"),
    };

    private static readonly Dictionary<string, ErrorCatalogEntry> ById = Entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

    /// <summary>The category of an id; <see cref="ErrorCategory.NotSpecified"/> for one the catalog lacks.</summary>
    public static ErrorCategory CategoryOf(string errorId) =>
        errorId is not null && ById.TryGetValue(errorId, out var entry) ? entry.Category : ErrorCategory.NotSpecified;

    private static ErrorCatalogEntry E(string id, ErrorCategory category, string cause, string fix) => new(id, category, cause, fix);
}
