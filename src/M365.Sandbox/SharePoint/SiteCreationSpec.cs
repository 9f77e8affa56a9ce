namespace M365.Sandbox.SharePoint;

/// <summary>What a site is created with, whichever API (SPSiteManager, GroupSiteManager, CSOM) asked for it.</summary>
public sealed record SiteCreationSpec(
    string Url,
    string Title,
    string Template,
    string Owner,
    int Lcid = 1033,
    string Description = "",
    int TimeZoneId = 13,
    long StorageMaximumLevel = 26214400,
    double UserCodeMaximumLevel = 0,
    Guid? GroupId = null,
    Guid? SensitivityLabel = null,
    string? PreferredDataLocation = null);
