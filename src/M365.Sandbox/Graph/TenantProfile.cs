using M365.Sandbox.Hosting;

namespace M365.Sandbox.Graph;

/// <summary>
/// The facts about the tenant that resource endpoints print (ids, names, domains) and the clock they stamp
/// answers with. One instance per sandbox; Graph and SharePoint both register it.
/// </summary>
public sealed class TenantProfile
{
    public TenantProfile(SandboxOptions options)
    {
        TenantId = options.EffectiveTenantId;
        Hosts = new SandboxHostNames(options.TenantName);
        TimeProvider = options.TimeProvider;
        var name = Hosts.TenantName;
        DisplayName = name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }

    public Guid TenantId { get; }

    public SandboxHostNames Hosts { get; }

    public string DisplayName { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>https://{tenant}.sharepoint.com, without a trailing slash.</summary>
    public string SharePointRootUrl => "https://" + Hosts.SharePoint;
}
