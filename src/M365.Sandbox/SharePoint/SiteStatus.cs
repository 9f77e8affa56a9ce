namespace M365.Sandbox.SharePoint;

/// <summary>SharePoint's SiteStatus values, as SPSiteManager and GroupSiteManager report them.</summary>
public enum SiteStatus
{
    NotFound = 0,
    Provisioning = 1,
    Ready = 2,
    Error = 3,
}
