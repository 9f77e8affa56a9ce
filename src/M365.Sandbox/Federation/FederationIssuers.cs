using M365.Sandbox.Hosting;

namespace M365.Sandbox.Federation;

/// <summary>
/// The issuers and subjects of the three pipeline token services, as the real ones name them. The seed's federated
/// credentials and the token services both come from here, so they match out of the box.
/// </summary>
public static class FederationIssuers
{
    /// <summary>The audience Entra ID expects on a federated token.</summary>
    public const string ExchangeAudience = "api://AzureADTokenExchange";

    public const string GitHub = "https://token.actions.githubusercontent.com";

    public const string AzureDevOpsServiceConnectionName = "m365-sandbox";

    public const string KubernetesNamespace = "automation";

    public const string KubernetesServiceAccount = "m365-runner";

    public static string GitHubSubject(string tenantName) => $"repo:{tenantName.ToLowerInvariant()}/automation:ref:refs/heads/main";

    public static Guid AzureDevOpsOrganizationId(Guid tenantId) => DeterministicGuid.From($"azuredevops-org:{tenantId}");

    public static string AzureDevOps(Guid tenantId) => $"https://vstoken.dev.azure.com/{AzureDevOpsOrganizationId(tenantId)}";

    public static Guid AzureDevOpsServiceConnectionId(Guid tenantId) => DeterministicGuid.From($"azuredevops-service-connection:{tenantId}");

    public static string AzureDevOpsSubject(string tenantName) => $"sc://{tenantName.ToLowerInvariant()}/automation/{AzureDevOpsServiceConnectionName}";

    public static string Kubernetes(Guid tenantId) => $"https://oidc.prod-aks.azure.com/{DeterministicGuid.From($"aks-cluster:{tenantId}")}/";

    public const string KubernetesSubject = "system:serviceaccount:" + KubernetesNamespace + ":" + KubernetesServiceAccount;
}
