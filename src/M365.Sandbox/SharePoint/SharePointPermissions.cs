using M365.Sandbox.Identity;

namespace M365.Sandbox.SharePoint;

/// <summary>The SharePoint permissions each endpoint family needs (delegated scopes, then app roles).</summary>
internal static class SharePointPermissions
{
    public static readonly AccessRequirement CreateSites = AccessRequirement.Of(
        new[] { "AllSites.FullControl", "AllSites.Manage" },
        new[] { "Sites.FullControl.All" });

    /// <summary>GroupSiteManager acts as the signed-in user (the group's owner): SharePoint refuses app-only tokens.</summary>
    public static readonly AccessRequirement CreateGroupSites = AccessRequirement.Delegated("AllSites.FullControl", "AllSites.Manage");

    public static readonly AccessRequirement ReadWeb = AccessRequirement.Of(
        new[] { "AllSites.Read", "AllSites.Write", "AllSites.Manage", "AllSites.FullControl" },
        new[] { "Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All" });

    /// <summary>Tenant administration (the -admin host's CSOM) needs full control.</summary>
    public static readonly AccessRequirement TenantAdministration = AccessRequirement.Of(
        new[] { "AllSites.FullControl" },
        new[] { "Sites.FullControl.All" });
}
