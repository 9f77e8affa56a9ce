using System;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// A site collection created (or being created) by <see cref="SiteCreationClient"/>, or read by <see cref="SiteLookupClient"/>.
    /// </summary>
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

        /// <summary>A site as SharePoint reports it (no request made it); what SharePoint does not say yet stays null.</summary>
        internal SpoSite(string url, SpoSiteStatus status, Guid? siteId, Guid? groupId, string? title, string? template, DateTimeOffset? created, SpoSiteDetails? details = null)
        {
            Details = details;
            Url = url;
            Title = title ?? string.Empty;
            Template = template;
            Type = template is null ? (SpoSiteType?)null : TypeOf(template);
            Status = status;
            SiteId = siteId;
            GroupId = groupId;
            Created = created;
        }

        /// <summary>The site URL.</summary>
        public string Url { get; }

        /// <summary>The title.</summary>
        public string Title { get; }

        /// <summary>The kind of site; null when SharePoint does not say yet (a site read while it is provisioning).</summary>
        public SpoSiteType? Type { get; }

        /// <summary>The web template with its configuration (<c>SITEPAGEPUBLISHING#0</c>, <c>GROUP#0</c>, <c>STS#3</c>), as read from the site; null for a site just submitted.</summary>
        public string? Template { get; }

        /// <summary>Provisioning, Ready or Failed, as of the last answer.</summary>
        public SpoSiteStatus Status { get; private set; }

        /// <summary>The site collection id, once SharePoint names it.</summary>
        public Guid? SiteId { get; private set; }

        /// <summary>The Microsoft 365 group of a team site.</summary>
        public Guid? GroupId { get; }

        /// <summary>
        /// When the creation was submitted (UTC, the connection's clock), or for a site read from SharePoint its creation
        /// time; null while SharePoint does not say yet.
        /// </summary>
        public DateTimeOffset? Created { get; }

        /// <summary>The hub site this module associated the site with (Add-M365SpoSite -HubSiteId); else what the admin API reports, or null.</summary>
        public Guid? HubSiteId
        {
            get => _hubSiteId ?? Details?.HubSiteId;
            internal set => _hubSiteId = value;
        }

        private Guid? _hubSiteId;

        /// <summary>Owner, storage, sharing, lock state and hub, for a site read from the tenant's admin API; null otherwise.</summary>
        public SpoSiteDetails? Details { get; }

        /// <summary>The request that created it (the input, for error targets); null for a site read from SharePoint, and not shown in PowerShell.</summary>
        internal SiteCreationRequest? Request { get; }

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
        public override string ToString() => Url + " (" + (Type is { } type ? type + ", " : string.Empty) + Status + ")";

        /// <summary>The kind of site a template makes: a group's site, a communication site, else a classic one.</summary>
        internal static SpoSiteType TypeOf(string template) =>
            template.StartsWith("GROUP#", StringComparison.OrdinalIgnoreCase) ? SpoSiteType.TeamSite
            : template.StartsWith("SITEPAGEPUBLISHING#", StringComparison.OrdinalIgnoreCase) ? SpoSiteType.CommunicationSite
            : SpoSiteType.ClassicSite;
    }
}
