using M365.Sandbox.Hosting;

namespace M365.Sandbox.Directory;

/// <summary>
/// The users, apps and managed identities a sandbox tenant starts with. Tests and the module read ids and sandbox
/// credentials from here. Built in by default; a JSON seed file (same shape, camelCase) replaces the lists.
/// </summary>
public sealed class SandboxSeed
{
    /// <summary>The PnP Management Shell app, the module's default public client.</summary>
    public static readonly Guid PnpManagementShellAppId = Guid.Parse("31359c7f-bd7e-475c-86db-fdb8c937548e");

    /// <summary>A confidential app with a secret and a certificate, for app-only sign-in.</summary>
    public static readonly Guid AutomationAppId = DeterministicGuid.From("app:m365-sandbox-automation");

    /// <summary>A web app without "Allow public client flows" and without consent for anything but Graph User.Read.</summary>
    public static readonly Guid WebAppId = DeterministicGuid.From("app:m365-sandbox-web");

    /// <summary>A public client consented only for Graph User.Read: asking it for SharePoint gives AADSTS65001.</summary>
    public static readonly Guid LimitedAppId = DeterministicGuid.From("app:m365-sandbox-limited");

    /// <summary>A public client that registers only the nativeclient redirect URI, no loopback one: browser sign-in gives AADSTS50011.</summary>
    public static readonly Guid KioskAppId = DeterministicGuid.From("app:contoso-kiosk");

    /// <summary>The loopback redirect URI public clients register for browser sign-in (any port matches).</summary>
    public const string LoopbackRedirectUri = "http://localhost";

    public const string NativeClientRedirectUri = "https://login.microsoftonline.com/common/oauth2/nativeclient";

    /// <summary>The tenant's own API, App ID URI <see cref="ContosoApiUri"/>: tokens for it are asked for by that URI or this app id.</summary>
    public static readonly Guid ContosoApiAppId = DeterministicGuid.From("app:contoso-api");

    /// <summary>
    /// A confidential app without secret or certificate that pipelines sign in as with a federated token (GitHub Actions,
    /// Azure DevOps, Kubernetes): one federated credential per token service of the sandbox.
    /// </summary>
    public static readonly Guid PipelinesAppId = DeterministicGuid.From("app:contoso-pipelines");

    public const string ContosoApiUri = "api://contoso-api";

    /// <summary>Azure CLI, first-party, pre-authorized (only /.default); what <c>m365 setup</c> signs in with.</summary>
    public static readonly Guid AzureCliAppId = Guid.Parse("04b07795-8ddb-461a-bbee-02f9e1bf7b46");

    /// <summary>Azure PowerShell, first-party, pre-authorized (only /.default); what PnP's Register-PnPEntraIDApp signs in with.</summary>
    public static readonly Guid AzurePowerShellAppId = Guid.Parse("1950a258-227b-4e31-a9cf-717495945fc2");

    /// <summary>Microsoft Graph Command Line Tools, first-party, dynamic Graph scopes.</summary>
    public static readonly Guid GraphCommandLineToolsAppId = Guid.Parse("14d82eec-204b-4c2f-b7e8-296a70dab67e");

    public const string UserPassword = "Sandbox-User-Passw0rd!";

    public static readonly Guid SystemAssignedIdentityClientId = DeterministicGuid.From("mi:system-assigned");

    public static readonly Guid UserAssignedIdentityClientId = DeterministicGuid.From("mi:user-assigned");

    public const string AutomationAppSecret = "sbx8Q~SandboxAutomationSecret.NotARealSecret0";

    public const string AdminPassword = "Sandbox-Admin-Passw0rd!";

    public const string MfaUserPassword = "Sandbox-Mfa-Passw0rd!";

    public string TenantName { get; set; } = "contoso";

    public Guid TenantId { get; set; }

    public string TenantDomain => TenantName + ".onmicrosoft.com";

    public List<SeededUser> Users { get; set; } = new();

    public List<SeededApp> Apps { get; set; } = new();

    public List<SeededManagedIdentity> ManagedIdentities { get; set; } = new();

    /// <summary>The user that auto-approved device codes sign in as: the first user of the seed.</summary>
    public SeededUser DefaultUser => Users.Count > 0 ? Users[0] : throw new InvalidOperationException("The seed has no users.");

    public SeededUser Admin => FindUser("admin@" + TenantDomain);

    /// <summary>A plain member user, no administrator role, no MFA or Conditional Access quirk.</summary>
    public SeededUser PlainUser => FindUser("user@" + TenantDomain);

    /// <summary>Whether members may register applications (Entra ID's default: yes). Consent always needs an admin.</summary>
    public bool UsersCanRegisterApplications { get; set; } = true;

    public SeededUser MfaUser => FindUser("mfa.user@" + TenantDomain);

    public SeededApp PnpManagementShell => FindApp(PnpManagementShellAppId);

    public SeededApp AutomationApp => FindApp(AutomationAppId);

    public SeededApp WebApp => FindApp(WebAppId);

    public SeededApp LimitedApp => FindApp(LimitedAppId);

    public SeededApp PipelinesApp => FindApp(PipelinesAppId);

    public SeededApp KioskApp => FindApp(KioskAppId);

    public SeededManagedIdentity SystemAssignedIdentity => ManagedIdentities.First(m => !m.UserAssigned);

    public SeededManagedIdentity UserAssignedIdentity => ManagedIdentities.First(m => m.UserAssigned);

    public SeededUser FindUser(string upn) =>
        Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"The seed has no user '{upn}'.");

    public SeededApp FindApp(Guid appId) =>
        Apps.FirstOrDefault(a => a.AppId == appId) ?? throw new InvalidOperationException($"The seed has no app '{appId}'.");

    public static SandboxSeed CreateDefault(string tenantName, Guid tenantId)
    {
        var domain = tenantName + ".onmicrosoft.com";
        var seed = new SandboxSeed { TenantName = tenantName, TenantId = tenantId };
        seed.Users.Add(new SeededUser { UserPrincipalName = "admin@" + domain, DisplayName = "Sandbox Admin", Password = AdminPassword, IsAdmin = true });
        seed.Users.Add(new SeededUser { UserPrincipalName = "mfa.user@" + domain, DisplayName = "MFA User", Password = MfaUserPassword, MfaRequired = true });
        seed.Users.Add(new SeededUser { UserPrincipalName = "mfa.enroll@" + domain, DisplayName = "MFA Registration Pending", Password = MfaUserPassword, MfaRegistrationRequired = true });
        seed.Users.Add(new SeededUser { UserPrincipalName = "blocked.user@" + domain, DisplayName = "Blocked By Conditional Access", Password = MfaUserPassword, BlockedByConditionalAccess = true });
        seed.Users.Add(new SeededUser { UserPrincipalName = "user@" + domain, DisplayName = "Sandbox User", Password = UserPassword });
        seed.Apps.Add(new SeededApp
        {
            AppId = PnpManagementShellAppId,
            DisplayName = "PnP Management Shell",
            IsPublicClient = true,
            RedirectUris = { LoopbackRedirectUri, NativeClientRedirectUri },
            DelegatedPermissions =
            {
                ["sharepoint"] = new[] { "AllSites.FullControl", "User.Read.All", "TermStore.ReadWrite.All" },
                // The CLI's documented set, plus Sites.Read.All: the real app holds Graph site permissions, and clients
                // (the CLI, M365) learn the tenant's SharePoint URL from GET /v1.0/sites/root, which needs one.
                ["graph"] = new[]
                {
                    "Sites.Read.All", "AppCatalog.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All",
                    "IdentityProvider.ReadWrite.All", "Mail.ReadWrite", "Mail.Send", "Reports.Read.All",
                    "TeamsAppInstallation.ReadWriteForUser", "User.Invite.All", "Tasks.ReadWrite",
                },
                ["management"] = new[] { "ServiceHealth.Read" },
                ["aadgraph"] = new[] { "Directory.AccessAsUser.All" },
                ["azure"] = new[] { "user_impersonation" },
                ["yammer"] = new[] { "user_impersonation" },
                [ContosoApiUri] = new[] { "user_impersonation" },
            },
        });
        seed.Apps.Add(new SeededApp
        {
            AppId = AutomationAppId,
            DisplayName = "M365 Sandbox Automation",
            ClientSecret = AutomationAppSecret,
            GenerateCertificate = true,
            ApplicationPermissions =
            {
                ["graph"] = new[] { "Application.Read.All", "Sites.FullControl.All", "Group.ReadWrite.All" },
                ["sharepoint"] = new[] { "Sites.FullControl.All" },
                ["management"] = new[] { "ServiceHealth.Read" },
                [ContosoApiUri] = new[] { "Items.Read.All" },
            },
        });
        seed.Apps.Add(new SeededApp
        {
            AppId = WebAppId,
            DisplayName = "M365 Sandbox Web App",
            DelegatedPermissions = { ["graph"] = new[] { "User.Read" } },
        });
        seed.Apps.Add(new SeededApp
        {
            AppId = LimitedAppId,
            DisplayName = "M365 Sandbox Limited App",
            IsPublicClient = true,
            RedirectUris = { LoopbackRedirectUri, NativeClientRedirectUri },
            DelegatedPermissions = { ["graph"] = new[] { "User.Read" } },
        });
        seed.Apps.Add(new SeededApp
        {
            AppId = KioskAppId,
            DisplayName = "Contoso Kiosk",
            IsPublicClient = true,
            RedirectUris = { NativeClientRedirectUri },
            DelegatedPermissions = { ["graph"] = new[] { "User.Read" } },
        });
        seed.Apps.Add(new SeededApp
        {
            AppId = ContosoApiAppId,
            DisplayName = "Contoso API",
            IdentifierUris = { ContosoApiUri },
        });
        seed.Apps.Add(PipelinesSeed(tenantName, tenantId));
        seed.Apps.AddRange(BootstrapApps());
        seed.ManagedIdentities.Add(new SeededManagedIdentity
        {
            ClientId = SystemAssignedIdentityClientId,
            DisplayName = "contoso-automation",
            ApplicationPermissions =
            {
                ["graph"] = new[] { "Application.Read.All", "Sites.Read.All" },
                ["sharepoint"] = new[] { "Sites.FullControl.All" },
                ["azure"] = new[] { "user_impersonation" },
            },
        });
        seed.ManagedIdentities.Add(new SeededManagedIdentity
        {
            ClientId = UserAssignedIdentityClientId,
            DisplayName = "contoso-runbook-identity",
            UserAssigned = true,
            ApplicationPermissions = { ["graph"] = new[] { "Sites.Read.All" } },
        });
        seed.FillMissingIds();
        return seed;
    }

    // Microsoft's public clients every tenant has. Azure CLI and Azure PowerShell are pre-authorized by Graph for a fixed
    // set (the scp of their real Graph tokens) and Azure Service Management; Graph Command Line Tools starts unconsented.
    private static IEnumerable<SeededApp> BootstrapApps()
    {
        string[] graph = { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "AuditLog.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.AccessAsUser.All", "Group.ReadWrite.All", "User.Read.All", "User.ReadWrite.All" };
        foreach (var (appId, name) in new[] { (AzureCliAppId, "Microsoft Azure CLI"), (AzurePowerShellAppId, "Microsoft Azure PowerShell") })
        {
            yield return new SeededApp
            {
                AppId = appId,
                DisplayName = name,
                IsFirstParty = true,
                IsPublicClient = true,
                PreAuthorizedOnly = true,
                RedirectUris = { LoopbackRedirectUri, NativeClientRedirectUri },
                DelegatedPermissions = { ["graph"] = graph, ["azure"] = new[] { "user_impersonation" } },
            };
        }

        yield return new SeededApp
        {
            AppId = GraphCommandLineToolsAppId,
            DisplayName = "Microsoft Graph Command Line Tools",
            IsFirstParty = true,
            IsPublicClient = true,
            DynamicConsent = true,
            RedirectUris = { LoopbackRedirectUri, NativeClientRedirectUri },
        };
    }

    private static SeededApp PipelinesSeed(string tenantName, Guid tenantId) => new()
    {
        AppId = PipelinesAppId,
        DisplayName = "Contoso Pipelines",
        ApplicationPermissions =
        {
            ["graph"] = new[] { "Application.Read.All", "Sites.FullControl.All", "Group.ReadWrite.All" },
            ["sharepoint"] = new[] { "Sites.FullControl.All" },
            ["management"] = new[] { "ServiceHealth.Read" },
        },
        FederatedIdentityCredentials =
        {
            new FederatedIdentityCredential
            {
                Name = "github-main",
                Issuer = Federation.FederationIssuers.GitHub,
                Subject = Federation.FederationIssuers.GitHubSubject(tenantName),
                Description = "GitHub Actions: the main branch of the automation repository",
            },
            new FederatedIdentityCredential
            {
                Name = "azure-devops",
                Issuer = Federation.FederationIssuers.AzureDevOps(tenantId),
                Subject = Federation.FederationIssuers.AzureDevOpsSubject(tenantName),
                Description = "Azure DevOps: the m365-sandbox service connection",
            },
            new FederatedIdentityCredential
            {
                Name = "kubernetes",
                Issuer = Federation.FederationIssuers.Kubernetes(tenantId),
                Subject = Federation.FederationIssuers.KubernetesSubject,
                Description = "Kubernetes: the m365-runner service account",
            },
        },
    };

    /// <summary>Gives every object without an id a stable one, so a seed file need not list ids.</summary>
    internal void FillMissingIds()
    {
        foreach (var user in Users.Where(u => u.Id == Guid.Empty))
        {
            user.Id = DeterministicGuid.From("user:" + user.UserPrincipalName.ToLowerInvariant());
        }

        foreach (var app in Apps.Where(a => a.ServicePrincipalId == Guid.Empty))
        {
            app.ServicePrincipalId = DeterministicGuid.From($"sp:{TenantId}:{app.AppId}");
        }

        foreach (var app in Apps.Where(a => a.ApplicationObjectId == Guid.Empty))
        {
            app.ApplicationObjectId = DeterministicGuid.From($"application:{TenantId}:{app.AppId}");
        }

        foreach (var identity in ManagedIdentities.Where(m => m.ObjectId == Guid.Empty))
        {
            identity.ObjectId = DeterministicGuid.From($"mi-object:{TenantId}:{identity.ClientId}");
        }
    }
}
