namespace M365.Core.Resources
{
    /// <summary>The Microsoft 365 service an access token is issued for.</summary>
    public enum ResourceKind
    {
        /// <summary>Microsoft Graph.</summary>
        Graph,

        /// <summary>The SharePoint Online tenant host, <c>{tenant}.sharepoint.com</c>.</summary>
        SharePoint,

        /// <summary>The SharePoint Online admin host, <c>{tenant}-admin.sharepoint.com</c>.</summary>
        SharePointAdmin,

        /// <summary>The OneDrive host, <c>{tenant}-my.sharepoint.com</c>.</summary>
        SharePointMy,

        /// <summary>Office 365 Management APIs.</summary>
        Management,

        /// <summary>Azure Service Management.</summary>
        AzureManagement,

        /// <summary>Yammer (Viva Engage); delegated sign-in only.</summary>
        Yammer,

        /// <summary>The retired Azure AD Graph.</summary>
        AadGraph,

        /// <summary>Any other https origin; its scope is <c>{origin}/.default</c>.</summary>
        Other,
    }
}
