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
    private const string TenantVariable = "CLIMICROSOFT365_TENANT";

    /// <summary>The app (client) id. Default: $env:CLIMICROSOFT365_AADAPPID, $env:CLIMICROSOFT365_ENTRAAPPID, else the PnP Management Shell app.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = CertificatePathSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "ApplicationId")]
    public string? AppId { get; set; }

    /// <summary>The tenant id or domain. Default: $env:CLIMICROSOFT365_TENANT, else common (delegated sign-in only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
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

    /// <summary>An access token for one resource, used as is and never refreshed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

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
        try
        {
            connection = Await(ct => factory.ConnectAsync(options, ct));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, null));
            return;
        }

        Register(connection);
    }

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
            return PersistedConnections.Exists(Name, options) ? PersistedConnections.Find(Name, options) : null;
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
        // contoso.onmicrosoft.com names the SharePoint tenant too; otherwise it is learned from Graph when first needed.
        if (core.Resources.SharePointTenant is null && TenantHint.SharePointTenantFrom(core.TenantDomain) is { } spoTenant)
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
                options.AccessToken = AccessToken;
                break;
        }

        return options;
    }

    private Task ShowDeviceCodeAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken)
    {
        PostHostLine(prompt.Message);
        Post(() => WriteProgress(new ProgressRecord(1, "Connect-M365", $"Waiting for the sign-in with code {prompt.UserCode} at {prompt.VerificationUrl}")
        {
            StatusDescription = $"Waiting for the sign-in with code {prompt.UserCode} at {prompt.VerificationUrl} (expires {prompt.ExpiresOn.ToLocalTime():t})",
        }));
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
                try
                {
                    return CertificatePassword is null
                        ? new X509Certificate2(path, (string?)null, X509KeyStorageFlags.DefaultKeySet)
                        : new X509Certificate2(path, CertificatePassword, X509KeyStorageFlags.DefaultKeySet);
                }
                catch (Exception ex) when (ex is CryptographicException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new PSArgumentException($"The certificate file '{path}' could not be read: {ex.Message} Check the path and -CertificatePassword.", ex),
                        ErrorIds.CertificateInvalid,
                        ErrorCategory.InvalidData,
                        CertificatePath));
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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
