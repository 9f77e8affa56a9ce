using M365.Sandbox.Control;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace M365.Sandbox.Hosting;

/// <summary>
/// A running sandbox tenant. Start it in-process with <see cref="StartAsync"/>; it listens on 127.0.0.1, writes its
/// descriptor to the state folder and offers the control operations (faults, throttling, revocation, request log)
/// as methods as well as over /_sandbox.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxCertificates _certificates;
    private readonly SandboxSigningKey _signingKey;
    private int _disposed;

    private SandboxHost(WebApplication app, SandboxOptions options, SandboxCertificates certificates, SandboxSigningKey signingKey, int port)
    {
        _app = app;
        _certificates = certificates;
        _signingKey = signingKey;
        Options = options;
        Port = port;
        Url = $"https://127.0.0.1:{port}";
        Hosts = app.Services.GetRequiredService<SandboxHostNames>();
        Directory = app.Services.GetRequiredService<TenantDirectory>();
        RequestLog = app.Services.GetRequiredService<RequestLog>();
        Faults = app.Services.GetRequiredService<FaultInjector>();
        Throttling = app.Services.GetRequiredService<ThrottleBudgets>();
        Lifetimes = app.Services.GetRequiredService<TokenLifetimes>();
        Tokens = app.Services.GetRequiredService<TokenIssuer>();
        ManagedIdentityHeader = app.Services.GetRequiredService<ManagedIdentitySecret>().Value;
        Descriptor = new SandboxDescriptor(Url, port, certificates.Pin, certificates.CaCertificatePath, Hosts.TenantName,
            Directory.TenantId, Url + "/_sandbox", ManagedIdentityEndpoint, ManagedIdentityHeader, ManagedIdentityServerThumbprint, certificates.SpkiPin);
    }

    public SandboxOptions Options { get; }

    /// <summary>https://127.0.0.1:&lt;port&gt;</summary>
    public string Url { get; }

    public int Port { get; }

    public string ControlUrl => Url + "/_sandbox";

    /// <summary>Lowercase hex SHA-256 of the served leaf certificate's DER bytes.</summary>
    public string CertificatePin => _certificates.Pin;

    public string CaCertificatePath => _certificates.CaCertificatePath;

    /// <summary>Base64 SHA-256 of the served certificate's public key (SPKI), for Chromium's --ignore-certificate-errors-spki-list.</summary>
    public string CertificateSpkiPin => _certificates.SpkiPin;

    public string DescriptorPath => Options.DescriptorPath;

    public SandboxDescriptor Descriptor { get; }

    public SandboxHostNames Hosts { get; }

    public Guid TenantId => Directory.TenantId;

    public TenantDirectory Directory { get; }

    public SandboxSeed Seed => Directory.Seed;

    /// <summary>The App Service style managed-identity endpoint (IDENTITY_ENDPOINT).</summary>
    public string ManagedIdentityEndpoint => Url + "/msi/token";

    /// <summary>The secret the managed-identity endpoint expects in X-IDENTITY-HEADER (IDENTITY_HEADER).</summary>
    public string ManagedIdentityHeader { get; }

    /// <summary>
    /// SHA-1 thumbprint (uppercase hex) of the served certificate: IDENTITY_SERVER_THUMBPRINT. With it set next to
    /// IDENTITY_ENDPOINT and IDENTITY_HEADER, MSAL.NET speaks the Service Fabric protocol (api-version 2020-05-01, the one
    /// source it sends <c>xms_cc</c> and <c>token_sha256_to_refresh</c> to) to <see cref="ManagedIdentityEndpoint"/>.
    /// </summary>
    public string ManagedIdentityServerThumbprint => _certificates.Server.Thumbprint;

    public RequestLog RequestLog { get; }

    public FaultInjector Faults { get; }

    public ThrottleBudgets Throttling { get; }

    public TokenLifetimes Lifetimes { get; }

    /// <summary>The pipeline token services (GitHub Actions, Azure DevOps, Kubernetes token file) and their settings.</summary>
    public Federation.FederationSources Federation => Services.GetRequiredService<Federation.FederationSources>();

    /// <summary>Mints tokens directly, for tests of resource endpoints that need no sign-in flow.</summary>
    public TokenIssuer Tokens { get; }

    /// <summary>Services of the running application, for tests of the resource endpoints.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "The port must be between 0 and 65535.");
        }

        SecureFile.EnsureDirectory(options.StateDirectory);
        var hosts = new SandboxHostNames(options.TenantName);
        var certificates = SandboxCertificates.LoadOrCreate(options.StateDirectory, hosts, options.TimeProvider);
        var signingKey = SandboxSigningKey.LoadOrCreate(options.StateDirectory);
        try
        {
            var seed = options.SeedFile is null
                ? SandboxSeed.CreateDefault(hosts.TenantName, options.EffectiveTenantId)
                : SeedFileReader.Read(options.SeedFile, hosts.TenantName, options.EffectiveTenantId);
            var app = SandboxApplication.Build(options, certificates, signingKey, seed);
            await app.StartAsync(cancellationToken);
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            var host = new SandboxHost(app, options, certificates, signingKey, port);
            host.Descriptor.Write(options.DescriptorPath);
            return host;
        }
        catch
        {
            certificates.Dispose();
            signingKey.Dispose();
            throw;
        }
    }

    /// <summary>An HttpClient that reaches the sandbox for real Microsoft URLs and trusts only its pinned certificate.</summary>
    public HttpClient CreatePinnedHttpClient() => new(CreatePinnedHandler()) { Timeout = TimeSpan.FromSeconds(100) };

    public HttpMessageHandler CreatePinnedHandler() => new SandboxLoopbackHandler(Port, CertificatePin);

    public string InjectFault(FaultRule rule) => Faults.Add(rule);

    /// <summary>
    /// Throttles the inner requests of Graph <c>$batch</c>es that match <paramref name="path"/> and <paramref name="query"/>
    /// ('*' globs) with 429 and Retry-After, <paramref name="times"/> times; direct calls are left alone.
    /// </summary>
    public string ThrottleBatchItems(string path, string? query, double retryAfterSeconds, int times = 1, int status = 429) => Faults.Add(new FaultRule
    {
        Host = SandboxHostNames.Graph,
        Path = path,
        Query = query,
        Scope = FaultScope.BatchItems,
        Status = status,
        RetryAfterSeconds = retryAfterSeconds,
        RetryAfterForm = RetryAfterForm.DecimalSeconds,
        Times = times,
    });

    /// <summary>How long new sites stay Provisioning; changes apply to sites created afterwards.</summary>
    public TimeSpan SiteProvisioningDelay
    {
        get => Services.GetRequiredService<SharePoint.SiteStore>().ProvisioningDelay;
        set => Services.GetRequiredService<SharePoint.SiteStore>().ProvisioningDelay = value;
    }

    /// <summary>How long site removals and restores (SpoOperations) take before they complete.</summary>
    public TimeSpan SiteOperationDelay
    {
        get => Services.GetRequiredService<SharePoint.SiteStore>().OperationDelay;
        set => Services.GetRequiredService<SharePoint.SiteStore>().OperationDelay = value;
    }

    /// <summary>How many sites one page of the tenant's site listing holds (SharePoint's: 300).</summary>
    public int SiteListPageSize
    {
        get => Services.GetRequiredService<SharePoint.SiteStore>().ListPageSize;
        set => Services.GetRequiredService<SharePoint.SiteStore>().ListPageSize = value;
    }

    /// <summary>How long apps created through Graph afterwards answer AADSTS700016 (Entra ID's replication); 0 by default.</summary>
    public TimeSpan AppReplicationDelay
    {
        get => Directory.Applications.ReplicationDelay;
        set => Directory.Applications.ReplicationDelay = value;
    }

    /// <summary>Who auto-approved device codes sign in as (null: the seed's first user, admin@).</summary>
    public SeededUser? DeviceCodeUser
    {
        get => Services.GetRequiredService<Identity.DeviceCodeStore>().AutoApprovalUser;
        set => Services.GetRequiredService<Identity.DeviceCodeStore>().AutoApprovalUser = value;
    }

    public void ClearFaults() => Faults.Clear();

    public void SetThrottleBudget(Guid appId, int requestsPerMinute) => Throttling.Set(appId, requestsPerMinute);

    public void RevokeRefreshTokens(string userPrincipalName)
    {
        var user = Directory.FindUser(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}' in the sandbox tenant.", nameof(userPrincipalName));
        Directory.RevokeSignInSessions(user.Id);
    }

    public void WithdrawConsent(Guid appId, string? resourceServiceKey = null) => Directory.WithdrawConsent(appId, resourceServiceKey);

    public void RestoreConsent(Guid appId) => Directory.RestoreConsent(appId);

    /// <summary>
    /// Raises a Continuous Access Evaluation event for a user (UPN), an app and/or a resource (a token audience such as
    /// https://graph.microsoft.com): matching tokens are answered 401 <c>insufficient_claims</c> until a token request carries
    /// the challenge's claims. A sticky challenge is never satisfied.
    /// </summary>
    public CaeChallenge IssueClaimsChallenge(string? userPrincipalName = null, Guid? appId = null, string? resource = null, bool sticky = false) =>
        ClaimsChallengeFactory.Add(Services.GetRequiredService<CaeChallenges>(), Directory, userPrincipalName, appId?.ToString(), resource, sticky);

    public void ClearClaimsChallenges() => Services.GetRequiredService<CaeChallenges>().Clear();

    public void SetTokenLifetimes(TimeSpan? accessToken = null, TimeSpan? refreshToken = null, TimeSpan? deviceCode = null) =>
        Lifetimes.Set(accessToken, refreshToken, deviceCode);

    public IReadOnlyList<RequestLogEntry> GetRequestLog() => RequestLog.Snapshot();

    public void ResetRequestLog() => RequestLog.Clear();

    /// <summary>Completes when the application stops (Ctrl+C in the standalone server).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            _certificates.Dispose();
            _signingKey.Dispose();
        }
    }

    public override string ToString() => $"M365 sandbox at {Url}";
}
