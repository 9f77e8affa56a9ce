using System;

namespace M365.Core.Services.SharePoint
{
    /// <summary>What a site removal or restore asks SharePoint to do.</summary>
    public enum SiteOperationKind
    {
        /// <summary>Move an active site to the recycle bin (Tenant.RemoveSite, or the deletion of its Microsoft 365 group).</summary>
        Remove,

        /// <summary>Delete a site of the recycle bin for good (Tenant.RemoveDeletedSite).</summary>
        RemoveDeleted,

        /// <summary>Bring a site of the recycle bin back (Tenant.RestoreDeletedSite).</summary>
        Restore,
    }

    /// <summary>
    /// A removal or restore SharePoint carries out in the background: a CSOM SpoOperation polled until complete, or for a
    /// group's site the group's deletion, after which the site leaves the tenant's active sites.
    /// </summary>
    public sealed class SiteOperation
    {
        internal SiteOperation(string url, SiteOperationKind kind, Guid? groupId, string? identity, bool isComplete, TimeSpan pollingInterval, DateTimeOffset started)
        {
            Url = url;
            Kind = kind;
            GroupId = groupId;
            Identity = identity;
            IsComplete = isComplete;
            PollingInterval = pollingInterval;
            Started = started;
        }

        /// <summary>The site URL.</summary>
        public string Url { get; }

        /// <summary>What the operation does.</summary>
        public SiteOperationKind Kind { get; }

        /// <summary>The Microsoft 365 group deleted to remove a group's site; null for the others.</summary>
        public Guid? GroupId { get; }

        /// <summary>Whether SharePoint has finished, as of the last poll.</summary>
        public bool IsComplete { get; internal set; }

        /// <summary>When it was sent (the connection's clock).</summary>
        public DateTimeOffset Started { get; }

        /// <summary>The SpoOperation's _ObjectIdentity_; null for a group's site (no operation to poll).</summary>
        internal string? Identity { get; }

        /// <summary>How long SharePoint asks to wait before the next poll.</summary>
        internal TimeSpan PollingInterval { get; set; }

        /// <inheritdoc />
        public override string ToString() => Kind + " " + Url + (IsComplete ? " (complete)" : " (in progress)");
    }
}
