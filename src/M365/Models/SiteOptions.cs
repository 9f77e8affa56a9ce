namespace M365.PowerShell.Models;

// PowerShell reads cmdlet parameter types when it imports the module, before M365.Core is reachable (it loads in M365's
// private context on PowerShell 7): so the parameters use these, which Add-M365SpoSite maps to M365.Core's by name.

/// <summary>The kind of site Add-M365SpoSite creates.</summary>
public enum SiteType
{
    /// <summary>A Microsoft 365 group's site; needs a user sign-in.</summary>
    TeamSite,

    /// <summary>A communication site.</summary>
    CommunicationSite,

    /// <summary>A classic site (STS#0 by default), created on the admin host.</summary>
    ClassicSite,
}

/// <summary>The design of a communication site.</summary>
public enum SiteDesign
{
    Topic,
    Showcase,
    Blank,
}
