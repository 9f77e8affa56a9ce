namespace M365.Sandbox.SharePoint;

/// <summary>The outcome of a creation request: the site, and whether this request made it or found it already there.</summary>
public readonly record struct SiteCreation(SiteRecord Site, bool Created);
