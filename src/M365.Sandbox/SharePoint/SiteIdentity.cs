using M365.Sandbox.Hosting;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// Site and web ids derived from the site URL, so SharePoint and Graph (sites/root) report the same ids for the
/// same site across restarts.
/// </summary>
public static class SiteIdentity
{
    public static Guid SiteIdFor(string siteUrl) => DeterministicGuid.From("site:" + SiteUrl.Normalize(siteUrl));

    public static Guid WebIdFor(string siteUrl) => DeterministicGuid.From("web:" + SiteUrl.Normalize(siteUrl));
}
