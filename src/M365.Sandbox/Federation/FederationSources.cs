using System.Security.Cryptography;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Federation;

/// <summary>
/// The three pipeline token services of a sandbox, their request secrets (ACTIONS_ID_TOKEN_REQUEST_TOKEN,
/// SYSTEM_ACCESSTOKEN) and the lookup the token endpoint uses to find the keys of a federated token's issuer.
/// </summary>
public sealed class FederationSources : IDisposable
{
    public const string GitHub = "github";
    public const string AzureDevOps = "azureDevOps";
    public const string Kubernetes = "kubernetes";

    public FederationSources(SandboxOptions options, SandboxSeed seed, TimeProvider time)
    {
        Time = time;
        StateDirectory = Path.Combine(options.StateDirectory, "federation");
        SecureFile.EnsureDirectory(StateDirectory);
        var tenant = seed.TenantName;
        ServiceConnectionId = FederationIssuers.AzureDevOpsServiceConnectionId(seed.TenantId);
        PipelineAppId = SandboxSeed.PipelinesAppId;
        TenantId = seed.TenantId;
        TenantName = tenant;
        GitHubSource = new FederationSource(GitHub, "github", FederationIssuers.GitHub, FederationIssuers.GitHubSubject(tenant),
            TimeSpan.FromMinutes(5), LoadKey("github"), () => new JsonObject
            {
                ["ref"] = "refs/heads/main",
                ["sha"] = "0f3b7c1e5d2a4b6c8e9f0a1b2c3d4e5f6a7b8c9d",
                ["repository"] = $"{tenant}/automation",
                ["repository_owner"] = tenant,
                ["run_id"] = "4242",
                ["run_attempt"] = "1",
                ["workflow"] = "m365",
                ["event_name"] = "push",
                ["ref_type"] = "branch",
                ["job_workflow_ref"] = $"{tenant}/automation/.github/workflows/m365.yml@refs/heads/main",
                ["runner_environment"] = "github-hosted",
            });
        AzureDevOpsSource = new FederationSource(AzureDevOps, "azuredevops", FederationIssuers.AzureDevOps(seed.TenantId),
            FederationIssuers.AzureDevOpsSubject(tenant), TimeSpan.FromMinutes(10), LoadKey("azuredevops"), () => new JsonObject());
        KubernetesSource = new FederationSource(Kubernetes, "kubernetes", FederationIssuers.Kubernetes(seed.TenantId),
            FederationIssuers.KubernetesSubject, TimeSpan.FromHours(1), LoadKey("kubernetes"), () => new JsonObject
            {
                ["kubernetes.io"] = new JsonObject
                {
                    ["namespace"] = FederationIssuers.KubernetesNamespace,
                    ["serviceaccount"] = new JsonObject
                    {
                        ["name"] = FederationIssuers.KubernetesServiceAccount,
                        ["uid"] = DeterministicGuid.From("k8s-sa:" + seed.TenantId).ToString(),
                    },
                },
            });
        All = new[] { GitHubSource, AzureDevOpsSource, KubernetesSource };
    }

    public TimeProvider Time { get; }

    /// <summary>&lt;state&gt;/federation: the services' keys and the Kubernetes token file.</summary>
    public string StateDirectory { get; }

    public string KubernetesTokenFile => Path.Combine(StateDirectory, "kubernetes-token");

    public Guid TenantId { get; }

    public string TenantName { get; }

    /// <summary>The app the pipelines sign in as (Contoso Pipelines).</summary>
    public Guid PipelineAppId { get; }

    public Guid ServiceConnectionId { get; }

    /// <summary>ACTIONS_ID_TOKEN_REQUEST_TOKEN: the bearer the GitHub token service wants. New at every start.</summary>
    public string GitHubRequestToken { get; } = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>SYSTEM_ACCESSTOKEN: the bearer the Azure DevOps token service wants. New at every start.</summary>
    public string AzureDevOpsAccessToken { get; } = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    public FederationSource GitHubSource { get; }

    public FederationSource AzureDevOpsSource { get; }

    public FederationSource KubernetesSource { get; }

    public IReadOnlyList<FederationSource> All { get; }

    /// <summary>Raised after the Kubernetes settings change or a reset, so the token file is rewritten at once.</summary>
    public event Action? KubernetesChanged;

    public FederationSource? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The source whose tokens carry this issuer (its current or its real one), as Entra ID would find the issuer's JWKS
    /// through its discovery document; null when no service of the sandbox is that issuer.
    /// </summary>
    public FederationSource? ForIssuer(string issuer) =>
        All.FirstOrDefault(s => s.Issuer == issuer) ?? All.FirstOrDefault(s => s.DefaultIssuer == issuer);

    public void Configure(FederationSource source, FederationSourceSettings settings)
    {
        source.Configure(settings);
        if (source == KubernetesSource)
        {
            KubernetesChanged?.Invoke();
        }
    }

    public void Reset()
    {
        foreach (var source in All)
        {
            source.Reset();
        }

        KubernetesChanged?.Invoke();
    }

    public bool IsGitHubRequestToken(string? bearer) => FixedTimeEquals(bearer, GitHubRequestToken);

    public bool IsAzureDevOpsAccessToken(string? bearer) => FixedTimeEquals(bearer, AzureDevOpsAccessToken);

    public void Dispose()
    {
        foreach (var source in All)
        {
            source.Key.Dispose();
        }
    }

    private SandboxSigningKey LoadKey(string name) => SandboxSigningKey.LoadOrCreate(StateDirectory, $"{name}-signing-key.pem");

    private static bool FixedTimeEquals(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(expected));

    public override string ToString() => "(federation token services)";
}
