using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Connections;
using M365.PowerShell.Cmdlets.SignIn;
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
    public const string FederatedIdentitySet = "FederatedIdentity";
    public const string ClientAssertionSet = "ClientAssertion";
    public const string InteractiveSet = "Interactive";

    /// <summary>
    /// The app (client) id. Required for app-only sign-in with a secret or certificate. For delegated sign-in the default is
    /// $env:CLIMICROSOFT365_AADAPPID, $env:CLIMICROSOFT365_ENTRAAPPID, the saved default (Set-M365Setting), else the PnP Management Shell app.
    /// </summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = FederatedIdentitySet)]
    [Parameter(ParameterSetName = ClientAssertionSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    [Alias("ClientId", "ApplicationId")]
    public string? AppId { get; set; }

    /// <summary>The tenant id or domain. Default: $env:CLIMICROSOFT365_TENANT, the saved default (Set-M365Setting), else common (delegated sign-in only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("TenantId")]
    public string? Tenant { get; set; }

    /// <summary>The cloud: Public (default, or the saved one: Set-M365Setting -Environment), USGov (GCC High), USGovDoD or China.</summary>
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

    /// <summary>
    /// App-only with workload identity federation: a federated token from the pipeline (GitHub Actions, Azure DevOps) or a
    /// token file (AZURE_FEDERATED_TOKEN_FILE), found in that order, fetched again whenever a token is renewed.
    /// </summary>
    [Parameter(ParameterSetName = FederatedIdentitySet)]
    [Alias("WorkloadIdentity")]
    public SwitchParameter FederatedIdentity { get; set; }

    /// <summary>A file holding the federated token (as Kubernetes projects it), read again whenever a new one is needed.</summary>
    [Parameter(ParameterSetName = FederatedIdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? FederatedTokenFile { get; set; }

    /// <summary>In Azure DevOps, the id of the workload identity federation service connection; default $env:AZURESUBSCRIPTION_SERVICE_CONNECTION_ID.</summary>
    [Parameter(ParameterSetName = FederatedIdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? ServiceConnectionId { get; set; }

    /// <summary>A federated token you already have (a string or a SecureString), used as the client assertion; it cannot be renewed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientAssertionSet)]
    [ValidateNotNull]
    [AccessTokenTransformation]
    [Alias("FederatedToken")]
    public SecureString? ClientAssertion { get; set; }

    /// <summary>Accepted for scripts written for other modules (Connect-MgGraph -UseDeviceCode, Connect-AzAccount -UseDeviceAuthentication, Connect-PnPOnline -DeviceLogin): device code is already the default.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Alias("UseDeviceAuthentication", "DeviceLogin")]
    public SwitchParameter UseDeviceCode { get; set; }

    /// <summary>
    /// Signs in in the system browser (authorization code with PKCE; the app needs http://localhost as a Mobile and desktop
    /// applications redirect URI). $env:BROWSER chooses the browser. Where none can open, the URL is printed, then a device code.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = InteractiveSet)]
    public SwitchParameter Interactive { get; set; }

    /// <summary>The account (UPN) to pre-fill on the browser's sign-in page.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    public string? LoginHint { get; set; }

    /// <summary>The connection's name; by default the identity and tenant.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string? Name { get; set; }

    /// <summary>How long the sign-in may take, in seconds (device code: until the code is used; browser: until the page is answered). Default 900.</summary>
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
    [Parameter(ParameterSetName = InteractiveSet)]
    public SwitchParameter PersistLogin { get; set; }

    /// <summary>With -PersistLogin where no keyring exists (headless Linux): keep the cache in a file only you can read, unencrypted.</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    public SwitchParameter AllowUnencryptedTokenCache { get; set; }

    protected override void ProcessRecord()
    {
        var saved = SavedDefaults.Read(this);
        var cloud = ConnectArguments.Cloud(this, MyInvocation.BoundParameters.ContainsKey(nameof(Environment)) ? Environment : saved.Environment ?? Environment);
        ConnectArguments.CheckTenant(this, Tenant);
        if (PersistedSignIn.Find(this) is { } persisted)
        {
            ConnectionRegistration.Register(this, PersistedSignIn.Resume(this, persisted));
            return;
        }

        var method = SignInMethod.For(this);
        // The sandbox descriptor is checked first, as before the split: a bad -Sandbox setup is reported even where the
        // sign-in method itself would be refused (device code or -Interactive in a non-interactive session).
        var transport = SignInTransport.Resolve(this, out var descriptorPath);
        method.Validate();
        var options = BuildOptions(cloud, method, saved);
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

        var factory = new ConnectionFactory(transport, null, new TokenStoreOptions { RefreshAhead = RefreshAhead });
        WriteVerbose($"Signing in ({options.AuthenticationType}) to {options.Tenant ?? "the sandbox tenant"} in the {cloud.Name} cloud{(transport.IsSandbox ? " through the sandbox at " + transport.Sandbox!.Url : string.Empty)}.");
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
        finally
        {
            method.SignInEnded();
        }

        WriteVerbose(SavedDefaults.DescribeAppId(connection));
        ConnectionRegistration.Register(this, connection);
        method.SignedIn(connection);
    }

    /// <summary>The options every method shares, then the chosen method's own members.</summary>
    private SignInOptions BuildOptions(CloudEnvironment cloud, SignInMethod method, M365.Core.Settings.M365Settings saved)
    {
        var tenant = ConnectArguments.Tenant(Tenant) ?? saved.Tenant;
        var options = new SignInOptions
        {
            AppId = AppId,
            Tenant = tenant ?? (Sandbox ? null : "common"),
            Cloud = cloud,
            ConnectionName = Name,
            Timeout = TimeSpan.FromSeconds(Timeout),
            SavedSettings = saved,
        };
        method.Configure(options, tenant);
        return options;
    }
}
