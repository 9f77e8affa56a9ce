using System.Management.Automation;

namespace M365.PowerShell.Models;

/// <summary>
/// What PowerShell shows of M365's objects when no view applies: an object that follows one of another type in the same
/// output ("out of band") and <c>Format-List</c> without a property list. The token is never among them.
/// <para>
/// Set on each object (PowerShell keeps instance members with the object, whichever wrapper later carries it) rather
/// than in a types file: any module's types file makes PowerShell rebuild its whole type table on import, which cost
/// M365's import about 9 ms (bench/ImportCost.ps1).
/// </para>
/// </summary>
public static class DefaultDisplay
{
    private const string StandardMembers = "PSStandardMembers";
    private const string DisplayPropertySet = "DefaultDisplayPropertySet";

    private static readonly string[] s_token = { "Resource", "IdentityType", "ExpiresOn", "Scopes", "Roles", "Connection" };
    private static readonly string[] s_connection = { "Name", "Identity", "AuthType", "Tenant", "ExpiresOn" };
    private static readonly string[] s_site = { "Url", "Title", "Type", "Status", "Created" };

    /// <summary>A token (plain or secure) with its default display properties.</summary>
    public static PSObject Token(M365AccessTokenInfo token) => Attach(token, s_token);

    /// <summary>
    /// Gives a new connection its default display properties, once: every later wrapper of the same object carries them.
    /// </summary>
    public static void Connection(M365Connection connection) => Attach(connection, s_connection);

    /// <summary>A site as Add-M365SpoSite writes it: the table view's columns (not the request it was made from).</summary>
    public static PSObject Site(PSObject site) => Attach(site, s_site);

    private static PSObject Attach(object value, string[] properties)
    {
        var wrapped = PSObject.AsPSObject(value);
        if (wrapped.Members[StandardMembers] is not null)
        {
            return wrapped;
        }

        wrapped.Members.Add(new PSMemberSet(StandardMembers, new PSMemberInfo[] { new PSPropertySet(DisplayPropertySet, properties) }));
        return wrapped;
    }
}
