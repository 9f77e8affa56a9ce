namespace M365.Sandbox.Identity;

/// <summary>
/// Entra ID's redirect URI rule for public clients: exact match, except that a registered loopback URI
/// (<c>http://localhost</c>, <c>http://127.0.0.1</c>) matches the same scheme, host, path and query on any port,
/// because native apps listen on a port they pick at run time (RFC 8252 section 7.3).
/// </summary>
internal static class RedirectUriMatcher
{
    public static bool Matches(IEnumerable<string> registered, string requested) =>
        Uri.TryCreate(requested, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0 && !HasUserInfo(uri)
        && registered.Any(r => Uri.TryCreate(r, UriKind.Absolute, out var candidate) && Matches(candidate, uri));

    private static bool Matches(Uri registered, Uri requested)
    {
        if (IsLoopback(registered) && IsLoopback(requested))
        {
            return registered.Scheme == requested.Scheme
                && string.Equals(registered.Host, requested.Host, StringComparison.OrdinalIgnoreCase)
                && registered.AbsolutePath == requested.AbsolutePath
                && registered.Query == requested.Query;
        }

        return registered.Scheme == requested.Scheme
            && string.Equals(registered.Authority, requested.Authority, StringComparison.OrdinalIgnoreCase)
            && registered.PathAndQuery == requested.PathAndQuery;
    }

    private static bool IsLoopback(Uri uri) => uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    private static bool HasUserInfo(Uri uri) => uri.UserInfo.Length > 0;
}
