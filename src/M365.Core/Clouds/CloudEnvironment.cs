using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace M365.Core.Clouds
{
    /// <summary>
    /// A Microsoft 365 national cloud: the host names of its sign-in authority and of each service resource.
    /// Hosts are bare names (no scheme, no path) so callers build <c>https://{host}</c> themselves.
    /// </summary>
    public sealed class CloudEnvironment
    {
        /// <summary>The worldwide commercial cloud (also used by GCC).</summary>
        public static readonly CloudEnvironment Public = new CloudEnvironment(
            "Public", "login.microsoftonline.com", "graph.microsoft.com", "sharepoint.com",
            "manage.office.com", "management.azure.com", "www.yammer.com", "graph.windows.net");

        /// <summary>US Government GCC High.</summary>
        public static readonly CloudEnvironment USGov = new CloudEnvironment(
            "USGov", "login.microsoftonline.us", "graph.microsoft.us", "sharepoint.us",
            "manage.office365.us", "management.usgovcloudapi.net", null, "graph.microsoftazure.us");

        /// <summary>US Government Department of Defense.</summary>
        public static readonly CloudEnvironment USGovDoD = new CloudEnvironment(
            "USGovDoD", "login.microsoftonline.us", "dod-graph.microsoft.us", "sharepoint-mil.us",
            "manage.protection.apps.mil", "management.usgovcloudapi.net", null, "graph.microsoftazure.us");

        /// <summary>Microsoft 365 operated by 21Vianet in China.</summary>
        public static readonly CloudEnvironment China = new CloudEnvironment(
            "China", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn", "sharepoint.cn",
            "manage.office.partner.outlook.cn", "management.chinacloudapi.cn", null, "graph.chinacloudapi.cn");

        private static readonly CloudEnvironment[] s_all = { Public, USGov, USGovDoD, China };

        private CloudEnvironment(
            string name,
            string authorityHost,
            string graphHost,
            string sharePointSuffix,
            string managementHost,
            string azureManagementHost,
            string? yammerHost,
            string aadGraphHost)
        {
            Name = name;
            AuthorityHost = authorityHost;
            GraphHost = graphHost;
            SharePointSuffix = sharePointSuffix;
            ManagementHost = managementHost;
            AzureManagementHost = azureManagementHost;
            YammerHost = yammerHost;
            AadGraphHost = aadGraphHost;
        }

        /// <summary>Every known cloud, Public first.</summary>
        public static IReadOnlyList<CloudEnvironment> All => s_all;

        /// <summary>The name used by <c>-Cloud</c>: Public, USGov, USGovDoD or China.</summary>
        public string Name { get; }

        /// <summary>The Entra ID sign-in host, e.g. <c>login.microsoftonline.com</c>.</summary>
        public string AuthorityHost { get; }

        /// <summary>The Microsoft Graph host, e.g. <c>graph.microsoft.com</c>.</summary>
        public string GraphHost { get; }

        /// <summary>The DNS suffix of SharePoint Online tenant hosts, e.g. <c>sharepoint.com</c>.</summary>
        public string SharePointSuffix { get; }

        /// <summary>The Office 365 Management APIs host, e.g. <c>manage.office.com</c>.</summary>
        public string ManagementHost { get; }

        /// <summary>The Azure Service Management host, e.g. <c>management.azure.com</c>.</summary>
        public string AzureManagementHost { get; }

        /// <summary>The Yammer host, or null where Yammer is not offered (every cloud but Public).</summary>
        public string? YammerHost { get; }

        /// <summary>The retired Azure AD Graph host, kept for raw requests only.</summary>
        public string AadGraphHost { get; }

        /// <summary>The authority host as an https origin, e.g. <c>https://login.microsoftonline.com</c>.</summary>
        public Uri AuthorityOrigin => new Uri("https://" + AuthorityHost);

        /// <summary>Finds a cloud by name, ignoring case.</summary>
        /// <param name="name">Public, USGov, USGovDoD or China.</param>
        /// <param name="cloud">The cloud found, or null.</param>
        /// <returns>True when <paramref name="name"/> names a known cloud.</returns>
        public static bool TryGet(string? name, [NotNullWhen(true)] out CloudEnvironment? cloud)
        {
            foreach (CloudEnvironment candidate in s_all)
            {
                if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    cloud = candidate;
                    return true;
                }
            }

            cloud = null;
            return false;
        }

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}
