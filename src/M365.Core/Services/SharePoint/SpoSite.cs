using System;

namespace M365.Core.Services.SharePoint
{
    /// <summary>A site collection created (or being created) by <see cref="SiteCreationClient"/>.</summary>
    public sealed class SpoSite
    {
        internal SpoSite(SiteCreationRequest request, string url, SpoSiteStatus status, Guid? siteId, Guid? groupId, DateTimeOffset created, string? operationIdentity)
        {
            Request = request;
            Url = url;
            Title = request.Title ?? string.Empty;
            Type = request.Type;
            Status = status;
            SiteId = siteId;
            GroupId = groupId;
            Created = created;
            OperationIdentity = operationIdentity;
        }

        /// <summary>The site URL.</summary>
        public string Url { get; }

        /// <summary>The title.</summary>
        public string Title { get; }

        /// <summary>The kind of site.</summary>
        public SpoSiteType Type { get; }

        /// <summary>Provisioning, Ready or Failed, as of the last answer.</summary>
        public SpoSiteStatus Status { get; private set; }

        /// <summary>The site collection id, once SharePoint names it.</summary>
        public Guid? SiteId { get; private set; }

        /// <summary>The Microsoft 365 group of a team site.</summary>
        public Guid? GroupId { get; }

        /// <summary>When the creation was submitted (UTC, the connection's clock).</summary>
        public DateTimeOffset Created { get; }

        /// <summary>The request that created it (the input, for error targets); not shown in PowerShell.</summary>
        internal SiteCreationRequest Request { get; }

        /// <summary>The CSOM SpoOperation identity of a classic site's creation, polled until complete.</summary>
        internal string? OperationIdentity { get; }

        internal void Update(SpoSiteStatus status, Guid? siteId)
        {
            Status = status;
            if (siteId is Guid id && id != Guid.Empty)
            {
                SiteId = id;
            }
        }

        /// <inheritdoc />
        public override string ToString() => Url + " (" + Type + ", " + Status + ")";
    }
}
