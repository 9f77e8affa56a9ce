namespace M365.Sandbox.Hosting;

/// <summary>The real Microsoft host names the sandbox answers for, routed by the Host header / SNI.</summary>
public sealed class SandboxHostNames
{
    public const string Login = "login.microsoftonline.com";
    public const string Graph = "graph.microsoft.com";
    public const string Management = "manage.office.com";
    public const string AzureManagement = "management.azure.com";
    public const string Yammer = "www.yammer.com";
    public const string YammerApi = "api.yammer.com";
    public const string AadGraph = "graph.windows.net";
    public const string Imds = "169.254.169.254";

    public SandboxHostNames(string tenantName)
    {
        TenantName = tenantName.ToLowerInvariant();
        SharePoint = $"{TenantName}.sharepoint.com";
        SharePointAdmin = $"{TenantName}-admin.sharepoint.com";
        SharePointMy = $"{TenantName}-my.sharepoint.com";
        TenantDomain = $"{TenantName}.onmicrosoft.com";
    }

    public string TenantName { get; }

    public string TenantDomain { get; }

    public string SharePoint { get; }

    public string SharePointAdmin { get; }

    public string SharePointMy { get; }

    /// <summary>Every name the server certificate must cover.</summary>
    public IReadOnlyList<string> CertificateNames => new[]
    {
        Login, Graph, Management, AzureManagement, Yammer, YammerApi, AadGraph,
        SharePoint, SharePointAdmin, SharePointMy, "*.sharepoint.com", "localhost",
    };

    /// <summary>The resource (token audience) a host belongs to.</summary>
    public static string ResourceFor(string host) => host switch
    {
        AzureManagement => "https://management.azure.com/",
        YammerApi => "https://www.yammer.com",
        _ => "https://" + host,
    };
}
