namespace M365.Core.Services.SharePoint
{
    /// <summary>The kinds of site collection SharePoint creates.</summary>
    public enum SpoSiteType
    {
        /// <summary>A Microsoft 365 group's site (GroupSiteManager/CreateGroupEx); needs a user sign-in.</summary>
        TeamSite,

        /// <summary>A communication site (SPSiteManager/Create).</summary>
        CommunicationSite,

        /// <summary>A classic site (CSOM Tenant.CreateSite on the admin host).</summary>
        ClassicSite,
    }

    /// <summary>Where a site's creation stands.</summary>
    public enum SpoSiteStatus
    {
        /// <summary>SharePoint is still provisioning it.</summary>
        Provisioning,

        /// <summary>It is ready to use.</summary>
        Ready,

        /// <summary>Provisioning failed.</summary>
        Failed,
    }

    /// <summary>The built-in designs of a communication site.</summary>
    public enum CommunicationSiteDesign
    {
        /// <summary>Topic (the default).</summary>
        Topic,

        /// <summary>Showcase.</summary>
        Showcase,

        /// <summary>Blank.</summary>
        Blank,
    }
}
