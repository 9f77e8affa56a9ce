using System;

namespace M365.Core.Services.SharePoint
{
    /// <summary>What the tenant's admin API says about a site beyond its URL, title and template (SiteProperties).</summary>
    public sealed class SpoSiteDetails
    {
        /// <summary>The primary owner (a UPN, or the group's owners' claim for a group's site).</summary>
        public string? Owner { get; internal set; }

        /// <summary>The storage used, in MB.</summary>
        public long? StorageUsageMB { get; internal set; }

        /// <summary>The storage quota, in MB.</summary>
        public long? StorageQuotaMB { get; internal set; }

        /// <summary>External sharing: Disabled, ExternalUserSharingOnly, ExternalUserAndGuestSharing or ExistingExternalUserSharingOnly.</summary>
        public string? SharingCapability { get; internal set; }

        /// <summary>Unlock, NoAdditions, ReadOnly or NoAccess.</summary>
        public string? LockState { get; internal set; }

        /// <summary>The hub site the site is associated with.</summary>
        public Guid? HubSiteId { get; internal set; }
    }
}
