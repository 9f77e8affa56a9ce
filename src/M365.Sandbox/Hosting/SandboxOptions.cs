namespace M365.Sandbox.Hosting;

/// <summary>How a sandbox tenant is started. Every lifetime can be shortened to seconds for tests.</summary>
public sealed class SandboxOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The tenant's short name: contoso gives contoso.onmicrosoft.com and contoso.sharepoint.com.</summary>
    public string TenantName { get; set; } = "contoso";

    /// <summary>The tenant id; by default derived from the tenant name so it survives restarts.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Where certificates, keys and the descriptor live. Default: ~/.m365-sandbox.</summary>
    public string StateDirectory { get; set; } = DefaultStateDirectory;

    /// <summary>How many deterministic service principals Graph serves besides the well-known Microsoft ones.</summary>
    public int ServicePrincipalCount { get; set; } = 1000;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromSeconds(900);

    /// <summary>How long an authorization code from the authorize endpoint may be redeemed (single use in any case).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a browser sign-in may stay on the sign-in and consent pages before it must start again.</summary>
    public TimeSpan SignInSessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The polling interval the device-code answer asks clients to keep (Entra ID says 5).</summary>
    public int DeviceCodeIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// When false (the default) a device code is approved after its first poll and a browser sign-in at once, so scripts
    /// run unattended; when true a person (or a browser driver) approves on the /devicelogin and sign-in pages.
    /// </summary>
    public bool InteractiveApproval { get; set; }

    /// <summary>An optional JSON seed file with users and apps that replaces the built-in seed.</summary>
    public string? SeedFile { get; set; }

    /// <summary>How long a new site (every kind) stays in SiteStatus 1 (Provisioning) before it is ready (zero: ready at once).</summary>
    public TimeSpan SiteProvisioningDelay { get; set; } = TimeSpan.Zero;

    /// <summary><see cref="SiteProvisioningDelay"/> in seconds, as <c>serve --site-provisioning-seconds N</c> sets it.</summary>
    public double SiteProvisioningSeconds
    {
        get => SiteProvisioningDelay.TotalSeconds;
        set => SiteProvisioningDelay = value is >= 0 and <= 86_400
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The provisioning time must be between 0 and 86400 seconds.");
    }

    /// <summary>The clock; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public string DescriptorPath => Path.Combine(StateDirectory, "sandbox.json");

    public static string DefaultStateDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".m365-sandbox");

    public Guid EffectiveTenantId => TenantId ?? DeterministicGuid.From("tenant:" + TenantName.ToLowerInvariant());
}
