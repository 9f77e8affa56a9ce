using System;
using M365.Core.Services.SharePoint;

namespace M365.PowerShell.Models;

/// <summary>
/// A site as PowerShell users see it (<c>M365.SpoSite</c>): what SharePoint said about it when it was written. Its kind
/// and status are names, so <c>ConvertTo-Json</c> and <c>Export-Csv</c> write <c>CommunicationSite</c> and <c>Ready</c>
/// rather than numbers, and the request it was made from stays inside. <see cref="Created"/> is a local
/// <see cref="DateTimeOffset"/>, so it compares with <c>Get-Date</c>.
/// </summary>
public sealed class M365SpoSite
{
    internal M365SpoSite(SpoSite site)
    {
        if (site is null)
        {
            throw new ArgumentNullException(nameof(site));
        }

        Url = site.Url;
        Title = site.Title;
        Type = site.Type?.ToString();
        Template = site.Template;
        Status = site.Status.ToString();
        SiteId = site.SiteId;
        GroupId = site.GroupId;
        Created = site.Created?.ToLocalTime();
        Owner = site.Details?.Owner;
        StorageUsageMB = site.Details?.StorageUsageMB;
        StorageQuotaMB = site.Details?.StorageQuotaMB;
        SharingCapability = site.Details?.SharingCapability;
        LockState = site.Details?.LockState;
        HubSiteId = site.HubSiteId;
    }

    /// <summary>The site URL.</summary>
    public string Url { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>TeamSite, CommunicationSite or ClassicSite; null while SharePoint does not say (a site still provisioning).</summary>
    public string? Type { get; }

    /// <summary>The web template, such as SITEPAGEPUBLISHING#0, for a site read back (Get-M365SpoSite).</summary>
    public string? Template { get; }

    /// <summary>Provisioning, Ready or Failed, as of the last answer before the site was written.</summary>
    public string Status { get; }

    /// <summary>The site collection id, once SharePoint names it.</summary>
    public Guid? SiteId { get; }

    /// <summary>The Microsoft 365 group of a team site.</summary>
    public Guid? GroupId { get; }

    /// <summary>When the creation was submitted, or for a site read back its creation time (local time); null while unknown.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The primary owner, as the tenant's admin API reports it (Get-M365SpoSite without -Url, or -Detailed); else null.</summary>
    public string? Owner { get; }

    /// <summary>The storage used, in MB (admin API).</summary>
    public long? StorageUsageMB { get; }

    /// <summary>The storage quota, in MB (admin API).</summary>
    public long? StorageQuotaMB { get; }

    /// <summary>External sharing: Disabled, ExternalUserSharingOnly, ExternalUserAndGuestSharing or ExistingExternalUserSharingOnly (admin API).</summary>
    public string? SharingCapability { get; }

    /// <summary>Unlock, NoAdditions, ReadOnly or NoAccess (admin API).</summary>
    public string? LockState { get; }

    /// <summary>The hub site the site belongs to (admin API); null when none.</summary>
    public Guid? HubSiteId { get; }

    /// <summary>"https://contoso.sharepoint.com/sites/news (CommunicationSite, Ready)".</summary>
    public override string ToString() => Url + " (" + (Type is null ? string.Empty : Type + ", ") + Status + ")";
}
