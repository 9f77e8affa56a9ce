using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace M365.Core.Registration
{
    /// <summary>
    /// One federated identity credential to add: which pipeline may sign in as the app with its OIDC token (issuer and
    /// subject exactly as the token service issues them, audience <c>api://AzureADTokenExchange</c>), and the lines that
    /// pipeline runs.
    /// </summary>
    public sealed class FederatedCredentialRequest
    {
        /// <summary>The audience Entra ID expects on a federated token.</summary>
        public const string ExchangeAudience = "api://AzureADTokenExchange";

        /// <summary>GitHub Actions' OIDC issuer.</summary>
        public const string GitHubIssuer = "https://token.actions.githubusercontent.com";

        /// <summary>The branch a GitHub credential is for when neither an environment nor a branch is given.</summary>
        public const string DefaultGitHubBranch = "main";

        /// <summary>Graph's limit on a credential's name.</summary>
        public const int MaxNameLength = 120;

        private static readonly Regex s_segment = new Regex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant);

        private FederatedCredentialRequest(string source, string name, string issuer, string subject, string description, Func<string, string, string> snippet)
        {
            Source = source;
            Name = name;
            Issuer = issuer;
            Subject = subject;
            Description = description;
            _snippet = snippet;
        }

        private readonly Func<string, string, string> _snippet;

        /// <summary>GitHub or AzureDevOps.</summary>
        public string Source { get; }

        /// <summary>The credential's name (unique on the app, at most 120 URL-friendly characters).</summary>
        public string Name { get; }

        public string Issuer { get; }

        /// <summary>The subject, in the token service's exact form and case.</summary>
        public string Subject { get; }

        public string Description { get; }

        /// <summary>The pipeline lines that sign in as <paramref name="appId"/> in <paramref name="tenant"/>.</summary>
        public string Snippet(string appId, string tenant) => _snippet(appId, tenant);

        /// <summary>
        /// A GitHub Actions job of <paramref name="repository"/> (<c>org/repo</c>), for a deployment environment
        /// (<c>repo:org/repo:environment:NAME</c>) or a branch (<c>repo:org/repo:ref:refs/heads/BRANCH</c>; without either,
        /// branch <see cref="DefaultGitHubBranch"/>), as GitHub's token names the job in its subject.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.FederatedCredentialInvalid"/>.</exception>
        public static FederatedCredentialRequest GitHub(string repository, string? environment, string? branch)
        {
            var parts = (repository ?? string.Empty).Trim().Split('/');
            if (parts.Length != 2 || !parts.All(s_segment.IsMatch))
            {
                throw Invalid($"'{repository}' is not a GitHub repository as org/repo.", "Write -GitHubRepository as the owner and the repository, for example contoso/automation.", repository);
            }

            if (!string.IsNullOrWhiteSpace(environment) && !string.IsNullOrWhiteSpace(branch))
            {
                throw Invalid("-GitHubEnvironment and -GitHubBranch were both given; a GitHub token names one of them in its subject.", "Give one: the environment the job runs in (environment: in the workflow), or the branch it runs on.", repository);
            }

            string repo = parts[0] + "/" + parts[1];
            bool isEnvironment = !string.IsNullOrWhiteSpace(environment);
            string value = (isEnvironment ? environment! : string.IsNullOrWhiteSpace(branch) ? DefaultGitHubBranch : branch!).Trim();
            if (value.Any(c => char.IsWhiteSpace(c) || c == ':'))
            {
                throw Invalid($"'{value}' cannot be a GitHub {(isEnvironment ? "environment" : "branch")} in a token's subject (no spaces or colons).", "Check -GitHubEnvironment or -GitHubBranch.", value);
            }

            string subject = isEnvironment ? $"repo:{repo}:environment:{value}" : $"repo:{repo}:ref:refs/heads/{value}";
            string name = CredentialName("github", parts[0], parts[1], isEnvironment ? "environment" : "branch", value);
            return new FederatedCredentialRequest("GitHub", name, GitHubIssuer, subject, $"GitHub Actions: {repo}, {(isEnvironment ? "environment" : "branch")} {value} (Register-M365App)",
                (appId, tenant) => GitHubSnippet(appId, tenant, isEnvironment ? value : null, isEnvironment ? null : value));
        }

        /// <summary>
        /// An Azure DevOps workload identity federation service connection (<c>org/project/name</c>) of the organization
        /// <paramref name="organizationId"/>: issuer <c>https://vstoken.dev.azure.com/{organizationId}</c>, subject
        /// <c>sc://org/project/name</c>, as the service connection shows them.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.FederatedCredentialInvalid"/>.</exception>
        public static FederatedCredentialRequest AzureDevOps(string serviceConnection, Guid organizationId)
        {
            var parts = (serviceConnection ?? string.Empty).Trim().Split('/');
            if (parts.Length != 3 || parts.Any(p => p.Trim().Length == 0 || p.IndexOf(':') >= 0))
            {
                throw Invalid($"'{serviceConnection}' is not an Azure DevOps service connection as organization/project/connection.", "Write -AzureDevOpsServiceConnection as, for example, contoso/automation/m365-federated (the names, not ids).", serviceConnection);
            }

            if (organizationId == Guid.Empty)
            {
                throw Invalid("-AzureDevOpsOrganizationId is missing: the issuer of an Azure DevOps token names the organization's id.", "Pass -AzureDevOpsOrganizationId with the id the service connection shows in its issuer (https://vstoken.dev.azure.com/<id>).", serviceConnection);
            }

            string subject = $"sc://{parts[0]}/{parts[1]}/{parts[2]}";
            string connection = parts[2];
            return new FederatedCredentialRequest("AzureDevOps", CredentialName("azuredevops", parts[0], parts[1], parts[2]), "https://vstoken.dev.azure.com/" + organizationId.ToString("D"), subject,
                $"Azure DevOps: service connection {subject} (Register-M365App)", (appId, tenant) => AzureDevOpsSnippet(appId, tenant, connection));
        }

        public override string ToString() => $"{Name} ({Issuer}, {Subject})";

        private static string CredentialName(params string[] parts)
        {
            var name = new StringBuilder();
            foreach (char c in string.Join("-", parts))
            {
                name.Append(char.IsLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '-');
            }

            return name.Length <= MaxNameLength ? name.ToString() : name.ToString(0, MaxNameLength);
        }

        private static string GitHubSnippet(string appId, string tenant, string? environment, string? branch) => string.Join("\n", new[]
        {
            branch is null ? null : $"on:\n  push:\n    branches: [ {branch} ]",
            "jobs:",
            "  m365:",
            "    runs-on: ubuntu-latest",
            environment is null ? null : "    environment: " + environment,
            "    permissions:",
            "      id-token: write   # lets the job request its OIDC token",
            "      contents: read",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "      - shell: pwsh",
            "        run: |",
            $"          Connect-M365 -FederatedIdentity -AppId {appId} -Tenant {tenant}",
        }.Where(l => l is not null));

        private static string AzureDevOpsSnippet(string appId, string tenant, string connection) => string.Join("\n", new[]
        {
            "steps:",
            "  - task: AzurePowerShell@5   # sets AZURESUBSCRIPTION_SERVICE_CONNECTION_ID (what -ServiceConnectionId would give)",
            "    inputs:",
            "      azureSubscription: " + connection,
            "      azurePowerShellVersion: LatestVersion",
            "      pwsh: true",
            "      ScriptType: InlineScript",
            "      Inline: |",
            $"        Connect-M365 -FederatedIdentity -AppId {appId} -Tenant {tenant}",
            "    env:",
            "      SYSTEM_ACCESSTOKEN: $(System.AccessToken)   # the job's token, to request the OIDC token with",
        });

        private static M365Exception Invalid(string message, string fix, string? target) =>
            new M365Exception(RegistrationErrorIds.FederatedCredentialInvalid, message, fix, target);
    }
}
