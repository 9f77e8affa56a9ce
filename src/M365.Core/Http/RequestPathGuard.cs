using System;

namespace M365.Core.Http
{
    /// <summary>
    /// Refuses a request URL whose path starts with <c>//</c> (also typed as <c>/\</c> or <c>\\</c>, which Uri turns into
    /// <c>//</c>): such a path is a network-path reference, so anything that resolves it against another base, or a server
    /// or proxy that reparses it, reads its first segment as a host (<c>https://graph.microsoft.com//127.0.0.1:8443/x</c>
    /// would reach 127.0.0.1:8443 with the Graph token). Checked before a token is taken and again in the transport.
    /// </summary>
    public static class RequestPathGuard
    {
        /// <summary>True when <paramref name="url"/>'s path could be read as an authority.</summary>
        /// <param name="url">An absolute URL.</param>
        public static bool IsAmbiguous(Uri url) =>
            url is null ? throw new ArgumentNullException(nameof(url))
            : url.IsAbsoluteUri && (url.AbsolutePath.StartsWith("//", StringComparison.Ordinal) || url.AbsolutePath.IndexOf('\\') >= 0);

        /// <summary>Throws when <paramref name="url"/>'s path could be read as an authority; nothing has been sent then.</summary>
        /// <param name="url">An absolute URL.</param>
        /// <exception cref="M365Exception"><see cref="TransportErrorIds.InsecureRequestRefused"/>.</exception>
        public static void Check(Uri url)
        {
            if (IsAmbiguous(url))
            {
                string origin = url.GetLeftPart(UriPartial.Authority);
                throw new M365Exception(
                    TransportErrorIds.InsecureRequestRefused,
                    $"The request to {origin} was refused because its path starts with '//' (or '/\\'), which could be read as another host; nothing was sent.",
                    "Use a URL whose path starts with a single '/', for example " + origin + "/v1.0/me.",
                    origin + url.AbsolutePath);
            }
        }
    }
}
