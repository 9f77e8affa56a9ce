namespace M365.Sandbox.SharePoint;

/// <summary>The one spelling of a site URL the stores key on: lower case, no trailing slash.</summary>
public static class SiteUrl
{
    public static string Normalize(string url) => url.Trim().TrimEnd('/').ToLowerInvariant();

    /// <summary>True for an absolute https URL on the given host whose path is empty or /sites/{name} or /teams/{name}.</summary>
    public static bool IsSiteCollectionUrl(string url, string host)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || !string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase) || !uri.IsDefaultPort
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0
            || (segments.Length == 2 && (segments[0].Equals("sites", StringComparison.OrdinalIgnoreCase) || segments[0].Equals("teams", StringComparison.OrdinalIgnoreCase))
                && segments[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }
}
