using System.Globalization;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph;

/// <summary>
/// A user's names as the services print them: the directory's display name when the user is in the seed, else
/// names made from the UPN's local part (adele.vance@… gives "Adele Vance"), since the validated token carries no name.
/// </summary>
internal static class UserNames
{
    public static string DisplayName(HttpContext context, ValidatedToken token)
    {
        if (Guid.TryParse(token.ObjectId, out var oid)
            && context.RequestServices.GetService<TenantDirectory>()?.FindUser(oid) is { DisplayName.Length: > 0 } user)
        {
            return user.DisplayName;
        }

        var (given, surname) = FromUpn(token.Upn ?? string.Empty);
        var name = $"{given} {surname}".Trim();
        return name.Length == 0 ? token.ObjectId : name;
    }

    public static (string Given, string Surname) FromUpn(string upn)
    {
        var local = upn.Split('@')[0];
        var parts = local.Split(new[] { '.', '_', '-' }, StringSplitOptions.RemoveEmptyEntries);
        var text = CultureInfo.InvariantCulture.TextInfo;
        return parts.Length switch
        {
            0 => (string.Empty, string.Empty),
            1 => (text.ToTitleCase(parts[0]), string.Empty),
            _ => (text.ToTitleCase(parts[0]), text.ToTitleCase(string.Join(' ', parts[1..]))),
        };
    }
}
