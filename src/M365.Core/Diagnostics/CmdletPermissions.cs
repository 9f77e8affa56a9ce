using System;
using System.Collections.Generic;
using System.Linq;
using M365.Core.Resources;

namespace M365.Core.Diagnostics
{
    /// <summary>What one of the module's cmdlets needs on one resource: any one of the delegated scopes, or of the app roles.</summary>
    public sealed class CmdletPermission
    {
        internal CmdletPermission(string cmdlet, ResourceKind resource, string[] delegated, string[] application)
        {
            Cmdlet = cmdlet;
            Resource = resource;
            Delegated = delegated;
            Application = application;
        }

        /// <summary>The cmdlet.</summary>
        public string Cmdlet { get; }

        /// <summary>The resource whose token must carry the permission.</summary>
        public ResourceKind Resource { get; }

        /// <summary>Delegated scopes (<c>scp</c>), any one of which is enough.</summary>
        public IReadOnlyList<string> Delegated { get; }

        /// <summary>Application roles (<c>roles</c>), any one of which is enough.</summary>
        public IReadOnlyList<string> Application { get; }

        /// <summary>The permissions a token of the given kind needs, any one of them.</summary>
        public IReadOnlyList<string> For(bool appOnly) => appOnly ? Application : Delegated;

        /// <summary>True when <paramref name="granted"/> holds one of the permissions needed (case-insensitive, as Entra ID compares them).</summary>
        public bool IsMet(bool appOnly, IEnumerable<string> granted) =>
            For(appOnly).Intersect(granted, StringComparer.OrdinalIgnoreCase).Any();
    }

    /// <summary>
    /// The permissions the module's own cmdlets need, the one map Test-M365Connection checks tokens against. A broader
    /// permission that Microsoft documents as covering the narrower one (Directory.ReadWrite.All for Directory.Read.All) counts.
    /// </summary>
    public static class CmdletPermissions
    {
        private static readonly string[] s_readApplications = { "Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>Every entry, by cmdlet.</summary>
        public static readonly IReadOnlyList<CmdletPermission> All = new[]
        {
            new CmdletPermission("Get-M365AadSp", ResourceKind.Graph, s_readApplications, s_readApplications),
            new CmdletPermission("Get-M365SpoSite", ResourceKind.SharePoint, new[] { "AllSites.FullControl" }, new[] { "Sites.FullControl.All" }),
            new CmdletPermission("Add-M365SpoSite", ResourceKind.SharePoint, new[] { "AllSites.FullControl" }, new[] { "Sites.FullControl.All" }),
            // The admin host's CSOM takes the same SharePoint permission; a group's site also needs Group.ReadWrite.All on Graph.
            new CmdletPermission("Remove-M365SpoSite", ResourceKind.SharePoint, new[] { "AllSites.FullControl" }, new[] { "Sites.FullControl.All" }),
            new CmdletPermission("Restore-M365SpoSite", ResourceKind.SharePoint, new[] { "AllSites.FullControl" }, new[] { "Sites.FullControl.All" }),
        };
    }
}
