using System;
using System.Collections.Generic;
using M365.Core.Clouds;

namespace M365.Core.Resources
{
    /// <summary>
    /// Recognises the audiences of Microsoft's own services in every cloud (Graph, SharePoint hosts, Office 365 Management,
    /// Azure Service Management, Yammer, Azure AD Graph): by resource name, by a host of theirs in any URI form, or by app id.
    /// Such a token may only ever go to the host it is for, whatever a caller's <c>-Resource</c> says.
    /// </summary>
    internal static class FirstPartyAudiences
    {
        // The app ids are the same in every cloud.
        private static readonly Dictionary<Guid, ResourceKind> s_appIds = new Dictionary<Guid, ResourceKind>
        {
            [new Guid("00000003-0000-0000-c000-000000000000")] = ResourceKind.Graph,
            [new Guid("00000003-0000-0ff1-ce00-000000000000")] = ResourceKind.SharePoint,
            [new Guid("c5393580-f805-4401-95e8-94b7a6ef2fc2")] = ResourceKind.Management,
            [new Guid("797f4846-ba00-4fd7-ba43-dac1f8f63013")] = ResourceKind.AzureManagement,
            [new Guid("00000005-0000-0ff1-ce00-000000000000")] = ResourceKind.Yammer,
            [new Guid("00000002-0000-0000-c000-000000000000")] = ResourceKind.AadGraph,
        };

        // Hosts Entra ID also accepts as these services' identifiers, beside each cloud's own hosts.
        private static readonly Dictionary<string, ResourceKind> s_extraHosts = new Dictionary<string, ResourceKind>(StringComparer.Ordinal)
        {
            ["canary.graph.microsoft.com"] = ResourceKind.Graph,
            ["ags.windows.net"] = ResourceKind.Graph,
            ["api.yammer.com"] = ResourceKind.Yammer,
        };

        /// <summary>
        /// The service a first-party audience belongs to (SharePoint for any of its hosts and its app id), or null when
        /// <paramref name="audience"/> names none: then it is the caller's own API.
        /// </summary>
        /// <param name="audience">A trimmed audience: a name, an app id, a URI or a bare host, optionally with a path.</param>
        /// <param name="host">The first-party host the audience names (lower case), or null for a name or an app id.</param>
        public static ResourceKind? KindOf(string audience, out string? host)
        {
            host = null;
            string head = audience;
            int scheme = audience.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                head = audience.Substring(scheme + 3);
            }

            int end = head.IndexOfAny(new[] { '/', '\\', '?', '#' });
            head = end >= 0 ? head.Substring(0, end) : head;
            int at = head.LastIndexOf('@');
            head = at >= 0 ? head.Substring(at + 1) : head;
            int colon = head.LastIndexOf(':');
            head = colon >= 0 && head.IndexOf(']') < colon ? head.Substring(0, colon) : head;
            head = AsciiCase.ToLower(head.TrimEnd('.'));

            if (Guid.TryParse(head, out Guid appId))
            {
                return s_appIds.TryGetValue(appId, out ResourceKind byId) ? byId : (ResourceKind?)null;
            }

            ResourceKind? byHost = KindOfHost(head);
            if (byHost != null)
            {
                host = head;
            }

            return byHost;
        }

        /// <summary>The first-party service of a lower-case host in any cloud, or null.</summary>
        public static ResourceKind? KindOfHost(string host)
        {
            if (s_extraHosts.TryGetValue(host, out ResourceKind extra))
            {
                return extra;
            }

            foreach (CloudEnvironment cloud in CloudEnvironment.All)
            {
                if (host == cloud.GraphHost)
                {
                    return ResourceKind.Graph;
                }

                if (host == cloud.ManagementHost)
                {
                    return ResourceKind.Management;
                }

                if (host == cloud.AzureManagementHost)
                {
                    return ResourceKind.AzureManagement;
                }

                if (host == cloud.AadGraphHost)
                {
                    return ResourceKind.AadGraph;
                }

                if (cloud.YammerHost != null && host == cloud.YammerHost)
                {
                    return ResourceKind.Yammer;
                }

                if (host == cloud.SharePointSuffix || host.EndsWith("." + cloud.SharePointSuffix, StringComparison.Ordinal))
                {
                    return ResourceKind.SharePoint;
                }
            }

            return null;
        }

        /// <summary>True for the three SharePoint kinds, which share one app id.</summary>
        public static bool IsSharePoint(ResourceKind kind) =>
            kind == ResourceKind.SharePoint || kind == ResourceKind.SharePointAdmin || kind == ResourceKind.SharePointMy;

        /// <summary>The service's name for messages.</summary>
        public static string Describe(ResourceKind kind) => kind switch
        {
            ResourceKind.Graph => "Microsoft Graph",
            ResourceKind.SharePoint => "SharePoint",
            ResourceKind.SharePointAdmin => "SharePoint admin",
            ResourceKind.SharePointMy => "OneDrive (SharePoint -my)",
            ResourceKind.Management => "Office 365 Management",
            ResourceKind.AzureManagement => "Azure Service Management",
            ResourceKind.Yammer => "Yammer",
            ResourceKind.AadGraph => "Azure AD Graph",
            _ => kind.ToString(),
        };
    }
}
