using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using M365.Core;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Clouds;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Signs in to Microsoft 365 and makes the connection current for this session.</para>
/// <para type="description">One sign-in serves every Microsoft 365 resource: later commands get a token for their own resource silently.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "M365", DefaultParameterSetName = DeviceCodeSet, SupportsShouldProcess = false)]
[OutputType(typeof(M365Connection))]
public sealed class ConnectM365Command : M365Cmdlet
{
    public const string DeviceCodeSet = "DeviceCode";
    public const string CertificatePathSet = "CertificatePath";
    public const string CertificateSet = "Certificate";
    public const string ThumbprintSet = "Thumbprint";
    public const string ClientSecretSet = "ClientSecret";
    public const string ManagedIdentitySet = "ManagedIdentity";
    public const string CredentialSet = "Credential";
    public const string AccessTokenSet = "AccessToken";
    public const string ClientSecretCredentialSet = "ClientSecretCredential";
    private const string TenantVariable = "CLIMICROSOFT365_TENANT";
    private const int ProgressId = 1;
    private DateTimeOffset _signInStarted;
    private CancellationTokenSource? _progressStop;
    private bool _progressShown;

    /// <summary>
    /// The app (client) id. Required for app-only sign-in with a secret or certificate. For delegated sign-in the default is
    /// $env:CLIMICROSOFT365_AADAPPID, $env:CLIMICROSOFT365_ENTRAAPPID, else the PnP Management Shell app.
    /// </summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "ApplicationId")]
    public string? AppId { get; set; }

    /// <summary>The tenant id or domain. Default: $env:CLIMICROSOFT365_TENANT, else common (delegated sign-in only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TenantId")]
    public string? Tenant { get; set; }

    /// <summary>The cloud: Public (default), USGov (GCC High), USGovDoD or China.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = CloudEnvironment.Public.Name;

    /// <summary>Sends every request to the local sandbox tenant ($env:M365_SANDBOX, else ~/.m365-sandbox/sandbox.json).</summary>
    [Parameter]
    public SwitchParameter Sandbox { get; set; }

    /// <summary>A PFX file with the app's certificate and private key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>The password of the PFX file.</summary>
    [Parameter(ParameterSetName = CertificatePathSet)]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>The app's certificate, with its private key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The thumbprint of a certificate in the CurrentUser (or -CertificateStoreLocation) My store.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [ValidateNotNullOrEmpty]
    [Alias("CertificateThumbprint")]
    public string? Thumbprint { get; set; }

    /// <summary>Where -Thumbprint is looked up.</summary>
    [Parameter(ParameterSetName = ThumbprintSet)]
    public StoreLocation CertificateStoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>The app's client secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [ValidateNotNull]
    public SecureString? ClientSecret { get; set; }

    /// <summary>Signs in with the managed identity of the Azure resource this runs on (Azure Automation, App Service, VM).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
    [Alias("Identity")]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>The client id of a user-assigned managed identity; omit for the system-assigned one.</summary>
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>A user name and password (ROPC). Fails for accounts that need MFA.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The app's client secret as a credential: the user name is the app id, the password the secret (as Az and Microsoft.Graph take it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretCredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? ClientSecretCredential { get; set; }

    /// <summary>An access token for one resource (a string or a SecureString), used as is and never refreshed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNull]
    [AccessTokenTransformation]
    public SecureString? AccessToken { get; set; }

    /// <summary>Accepted for scripts written for other modules (Connect-MgGraph -UseDeviceCode, Connect-AzAccount -UseDeviceAuthentication, Connect-PnPOnline -DeviceLogin): device code is already the default.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Alias("UseDeviceAuthentication", "DeviceLogin")]
    public SwitchParameter UseDeviceCode { get; set; }

    /// <summary>The connection's name; by default the identity and tenant.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string? Name { get; set; }

    /// <summary>How long the sign-in may take, in seconds (device code: until the code is used). Default 900.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 900;

    /// <summary>How long before expiry a token is renewed: from 0 to 1 hour. Default 5 minutes.</summary>
    [Parameter]
    [ValidateTimeSpanRange(0, 3600)]
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long learning the SharePoint tenant from Graph may take, in seconds, retries included. Default 60.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int DiscoveryTimeout { get; set; } = 60;

    /// <summary>Returns the connection.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Keeps the sign-in in an encrypted token cache (DPAPI, Keychain or libsecret) so a later session resumes it silently
    /// with Connect-M365 -Name. Delegated sign-ins only; never in Azure Automation.
    /// </summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    public SwitchParameter PersistLogin { get; set; }

    /// <summary>With -PersistLogin where no keyring exists (headless Linux): keep the cache in a file only you can read, unencrypted.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    public SwitchParameter AllowUnencryptedTokenCache { get; set; }

    protected override void ProcessRecord()
    {
        if (!CloudEnvironment.TryGet(Environment, out var cloud))
        {
            ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.EnvironmentNotFound,
                ErrorCategory.InvalidArgument,
                Environment,
                $"'{Environment}' is not a Microsoft cloud M365 knows.",
                "Use one of: " + string.Join(", ", CloudEnvironment.All.Select(c => c.Name)) + "."));
        }

        if (Tenant is { } tenantName && LooksLikeABareTenantName(tenantName))
        {
            ThrowTerminatingError(ErrorRecords.Create(
                AuthenticationErrorIds.TenantNotFound,
                ErrorCategory.ObjectNotFound,
                Tenant,
                $"'{tenantName}' is not a tenant: -Tenant takes the tenant's domain or its id.",
                $"Did you mean -Tenant {tenantName.Trim()}.onmicrosoft.com?"));
        }

        if (IsReconnect() is { } persisted)
        {
            Register(Reconnect(persisted));
            return;
        }

        var transport = ResolveTransport(out var descriptorPath);
        var options = BuildOptions(cloud!);
        if (PersistLogin)
        {
            options.Persistence = TokenCacheLocation.Options();
            options.Persistence.Enabled = true;
            options.Persistence.AllowUnencrypted = AllowUnencryptedTokenCache;
            options.Persistence.SandboxDescriptorPath = descriptorPath;
        }
        else if (AllowUnencryptedTokenCache)
        {
            WriteWarning("-AllowUnencryptedTokenCache has no effect without -PersistLogin: the tokens stay in memory.");
        }

        if (ParameterSetName == DeviceCodeSet && NonInteractiveHost.IsNonInteractive(this))
        {
            ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.DeviceCodeNonInteractive,
                ErrorCategory.InvalidOperation,
                null,
                "Device-code sign-in needs a person to enter a code, and this PowerShell session is non-interactive (a runbook, a scheduled task or -NonInteractive).",
                "Sign in app-only instead: Connect-M365 -ManagedIdentity, -CertificatePath/-Certificate/-Thumbprint with -AppId and -Tenant, or -ClientSecret with -AppId and -Tenant."));
        }

        if (ParameterSetName == CredentialSet)
        {
            WriteWarning("Signing in with a user name and password does not work for accounts that require MFA and is blocked by many Conditional Access policies. Prefer device code, a certificate or a managed identity.");
        }

        var factory = new ConnectionFactory(transport, null, new TokenStoreOptions { RefreshAhead = RefreshAhead });
        WriteVerbose($"Signing in ({options.AuthenticationType}) to {options.Tenant ?? "the sandbox tenant"} in the {cloud!.Name} cloud{(transport.IsSandbox ? " through the sandbox at " + transport.Sandbox!.Url : string.Empty)}.");
        Connection connection;
        _signInStarted = DateTimeOffset.UtcNow;
        using (_progressStop = new CancellationTokenSource())
        {
            try
            {
                connection = Await(ct => factory.ConnectAsync(options, ct));
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, null));
                return;
            }
            finally
            {
                _progressStop.Cancel();
                if (_progressShown)
                {
                    WriteProgress(new ProgressRecord(ProgressId, "Connect-M365", "Signed in") { RecordType = ProgressRecordType.Completed });
                }
            }
        }

        Register(connection);
        if (ParameterSetName == DeviceCodeSet)
        {
            // What Connect-MgGraph's welcome and Az's table tell: who, where, with which app. Through the information
            // stream as Write-Host does (shown by default), so 6>$null or -InformationAction Ignore silences it.
            WriteHostInformation($"Signed in as {connection.Identity} to tenant {connection.TenantDomain ?? connection.TenantId} with app {connection.AppId}{(connection.AppIdSource == AppIdSource.Default ? " (the PnP Management Shell app)" : string.Empty)}. Connection: '{connection.Name}'.");
        }
    }

    private void WriteHostInformation(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });

    /// <summary>
    /// Connect-M365 -Name n, with no other sign-in parameter, resumes the sign-in persisted under that name. A record
    /// that exists but cannot be trusted stops here (PersistedConnectionInvalid): it never turns into a fresh sign-in.
    /// </summary>
    private PersistedConnection? IsReconnect()
    {
        if (ParameterSetName != DeviceCodeSet || Name is null || PersistLogin || AppId is not null || Tenant is not null)
        {
            return null;
        }

        try
        {
            var options = TokenCacheLocation.Options();
            if (PersistedConnections.Exists(Name, options))
            {
                return PersistedConnections.Find(Name, options);
            }

            var persisted = PersistedConnections.List(options);
            if (persisted.Count > 0)
            {
                WriteWarning(
                    $"No sign-in is persisted under the name '{Name}' (persisted: {string.Join(", ", persisted.Select(p => p.Name))}), so this starts a new sign-in. " +
                    $"To resume one, use its name; to keep this new sign-in for later sessions, add -PersistLogin.");
            }

            return null;
        }
        catch (M365Exception ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, Name));
            throw;
        }
    }

    private Connection Reconnect(PersistedConnection persisted)
    {
        // Only -Sandbox (and the user's own $env:M365_SANDBOX) choose the sandbox transport, never the record.
        var transport = ResolveTransport(out _);
        WriteVerbose($"Resuming the persisted sign-in '{persisted.Name}' ({persisted.Identity}, {persisted.Protection} cache, saved {persisted.SavedOn:u}).");
        var factory = new ConnectionFactory(transport, null, new TokenStoreOptions { RefreshAhead = RefreshAhead });
        try
        {
            return Await(ct => factory.ReconnectAsync(persisted.Name, TokenCacheLocation.Options(), ct));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, Name));
            throw;
        }
    }

    private void Register(Connection core)
    {
        core.DiscoveryTimeout = TimeSpan.FromSeconds(DiscoveryTimeout);
        var connection = new M365Connection(core);
        DefaultDisplay.Connection(connection);
        // contoso.onmicrosoft.com names the SharePoint tenant too; otherwise it is learned from Graph when first needed.
        if (core.Resources.SharePointTenant is null && ResourceResolver.SharePointTenantFromInitialDomain(core.TenantDomain) is { } spoTenant)
        {
            core.SetSharePointTenant(spoTenant);
        }

        if (core.TokenCacheWarning is { } warning)
        {
            WriteWarning(warning);
        }

        var replaced = SessionConnections.ForCurrentRunspace().Add(connection);
        if (replaced is not null && !ReferenceEquals(replaced, connection))
        {
            WriteVerbose($"Connection '{replaced.Name}' was replaced by the new sign-in.");
        }

        WriteVerbose($"Connected as {connection.Identity} to tenant {connection.TenantId} with app {connection.AppId}.");
        if (PassThru)
        {
            WriteObject(connection);
        }
    }

    private HttpTransport ResolveTransport(out string? descriptorPath)
    {
        descriptorPath = null;
        if (!Sandbox)
        {
            return Transports.Default;
        }

        descriptorPath = SandboxLocator.DescriptorPath();
        return LoadSandbox(descriptorPath);
    }

    private HttpTransport LoadSandbox(string path)
    {
        try
        {
            var descriptor = SandboxDescriptor.Load(path);
            return Transports.ForSandbox(descriptor);
        }
        catch (Exception ex) when (ex is M365.Core.M365Exception)
        {
            var error = ErrorRecords.From(ex, path);
            error.ErrorDetails = new ErrorDetails(ex.Message)
            {
                RecommendedAction = "Start the sandbox tenant (dotnet run --project src/M365.Sandbox -- serve) and set $env:M365_SANDBOX to the descriptor path it prints.",
            };
            ThrowTerminatingError(error);
            throw;
        }
    }

    private SignInOptions BuildOptions(CloudEnvironment cloud)
    {
        var tenant = Tenant ?? NonEmpty(System.Environment.GetEnvironmentVariable(TenantVariable));
        var options = new SignInOptions
        {
            AppId = AppId,
            Tenant = tenant ?? (Sandbox ? null : "common"),
            Cloud = cloud,
            ConnectionName = Name,
            Timeout = TimeSpan.FromSeconds(Timeout),
        };

        switch (ParameterSetName)
        {
            case DeviceCodeSet:
                options.AuthenticationType = AuthenticationType.DeviceCode;
                options.DeviceCodeCallback = ShowDeviceCodeAsync;
                break;
            case CertificatePathSet:
            case CertificateSet:
            case ThumbprintSet:
                options.AuthenticationType = AuthenticationType.Certificate;
                options.Tenant = tenant;
                options.Certificate = LoadCertificate();
                break;
            case ClientSecretSet:
                options.AuthenticationType = AuthenticationType.ClientSecret;
                options.Tenant = tenant;
                options.ClientSecret = ClientSecret;
                break;
            case ClientSecretCredentialSet:
                options.AuthenticationType = AuthenticationType.ClientSecret;
                options.Tenant = tenant;
                options.AppId = ClientSecretCredential!.UserName;
                options.ClientSecret = ClientSecretCredential.Password;
                break;
            case ManagedIdentitySet:
                options.AuthenticationType = AuthenticationType.ManagedIdentity;
                options.ManagedIdentityClientId = ManagedIdentityClientId;
                break;
            case CredentialSet:
                options.AuthenticationType = AuthenticationType.Credential;
                options.UserName = Credential!.UserName;
                options.Password = Credential.Password;
                break;
            case AccessTokenSet:
                options.AuthenticationType = AuthenticationType.AccessToken;
                options.AccessToken = new System.Net.NetworkCredential(string.Empty, AccessToken).Password;
                break;
        }

        return options;
    }

    /// <summary>
    /// Shows the code through the host, and a progress bar that counts down to the real end of the wait: the earlier of
    /// the code's expiry and -Timeout. It updates each second until the sign-in ends.
    /// </summary>
    private Task ShowDeviceCodeAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken)
    {
        PostHostLine(prompt.Message);
        var timeoutEnd = _signInStarted + TimeSpan.FromSeconds(Timeout);
        var end = prompt.ExpiresOn < timeoutEnd ? prompt.ExpiresOn : timeoutEnd;
        var total = Math.Max(1, (end - DateTimeOffset.UtcNow).TotalSeconds);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_progressStop!.Token, cancellationToken);
        var post = BoundPost();
        _ = Task.Run(async () =>
        {
            using (stop)
            {
                while (!stop.IsCancellationRequested)
                {
                    var left = end - DateTimeOffset.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return;
                    }

                    var record = new ProgressRecord(ProgressId, "Connect-M365", $"Waiting for the sign-in with code {prompt.UserCode} at {prompt.VerificationUrl}")
                    {
                        SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds),
                        PercentComplete = (int)Math.Min(100, Math.Max(0, 100 * (1 - (left.TotalSeconds / total)))),
                        StatusDescription = $"Waiting for the sign-in with code {prompt.UserCode} at {prompt.VerificationUrl} (until {TimeText.Format(end)})",
                    };
                    post(() =>
                    {
                        _progressShown = true;
                        WriteProgress(record);
                    });
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        });
        return Task.CompletedTask;
    }

    private X509Certificate2 LoadCertificate()
    {
        switch (ParameterSetName)
        {
            case CertificateSet:
                return Certificate!;
            case CertificatePathSet:
                var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath);
                if (!System.IO.File.Exists(path))
                {
                    ThrowTerminatingError(ErrorRecords.Create(
                        ErrorIds.CertificateNotFound,
                        ErrorCategory.ObjectNotFound,
                        CertificatePath,
                        $"The certificate file '{path}' does not exist.",
                        "Check -CertificatePath: it names the PFX (.pfx, .p12) file with the app's certificate and private key."));
                }

                try
                {
                    return CertificatePassword is null
                        ? new X509Certificate2(path, (string?)null, X509KeyStorageFlags.DefaultKeySet)
                        : new X509Certificate2(path, CertificatePassword, X509KeyStorageFlags.DefaultKeySet);
                }
                catch (Exception ex) when (ex is CryptographicException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    // OpenSSL's own text ("error:10000080:BIO routines::…") tells a person nothing; say what it means.
                    var reason = ex is UnauthorizedAccessException
                        ? "you may not read it"
                        : CertificatePassword is null
                            ? "it is not a PFX file, or it needs a password (-CertificatePassword)"
                            : "it is not a PFX file, or -CertificatePassword is wrong";
                    var error = ErrorRecords.Create(
                        ErrorIds.CertificateInvalid,
                        ErrorCategory.InvalidData,
                        CertificatePath,
                        $"The certificate file '{path}' could not be opened: {reason}.",
                        "Check the file and -CertificatePassword; export the certificate with its private key as a PFX.");
                    ThrowTerminatingError(new ErrorRecord(new PSArgumentException(error.ErrorDetails.Message, ex), error.FullyQualifiedErrorId, error.CategoryInfo.Category, error.TargetObject) { ErrorDetails = error.ErrorDetails });
                    throw;
                }

            default:
                var found = FindInStore(Thumbprint!, CertificateStoreLocation);
                if (found is null)
                {
                    ThrowTerminatingError(ErrorRecords.Create(
                        ErrorIds.CertificateNotFound,
                        ErrorCategory.ObjectNotFound,
                        Thumbprint,
                        $"No certificate with thumbprint {Thumbprint} is in the {CertificateStoreLocation} My store.",
                        "Check the thumbprint and -CertificateStoreLocation, or use -CertificatePath with the PFX file."));
                }

                return found!;
        }
    }

    private static X509Certificate2? FindInStore(string thumbprint, StoreLocation location)
    {
        using var store = new X509Store(StoreName.My, location);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException)
        {
            // The store does not exist on this machine (common on Linux): then no certificate is in it.
            return null;
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>"contoso": neither a domain, nor an id, nor one of Entra ID's tenant aliases. Entra ID would answer AADSTS90002.</summary>
    private static bool LooksLikeABareTenantName(string tenant)
    {
        var value = tenant.Trim();
        return value.IndexOf('.') < 0 && !Guid.TryParse(value, out _)
            && !string.Equals(value, "common", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(value, "organizations", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(value, "consumers", StringComparison.OrdinalIgnoreCase);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
