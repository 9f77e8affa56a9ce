using System;
using System.Net;
using System.Net.Http;
using M365.Core.Resources;

namespace M365.Core.Http
{
    /// <summary>
    /// Redirects are never followed by the transport. Here one redirect within the same resource may be followed (with the
    /// token); a redirect anywhere else is refused before anything is sent there.
    /// </summary>
    internal static class RedirectPolicy
    {
        public static bool IsRedirect(HttpStatusCode status)
        {
            int code = (int)status;
            return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        }

        /// <summary>Where to go, or an exception when the redirect must not be followed.</summary>
        /// <exception cref="M365HttpException"><see cref="HttpErrorIds.RedirectToForeignHost"/> or <see cref="HttpErrorIds.RedirectNotFollowed"/>.</exception>
        public static Redirect Resolve(HttpResponseMessage response, Uri requestUrl, M365Resource resource, RequestAttemptState state, bool mayRedirect)
        {
            int status = (int)response.StatusCode;
            Uri? location = response.Headers.Location;
            Uri? target = location is null ? null : location.IsAbsoluteUri ? location : new Uri(requestUrl, location);
            if (target is null)
            {
                throw new M365HttpException(
                    HttpErrorIds.RedirectNotFollowed,
                    $"{state.Method} {state.RedactedUrl} answered {status} without a usable Location header.",
                    "Check the URL; if it persists, report the URL and time.",
                    state.Method,
                    state.RedactedUrl,
                    status,
                    attempts: state.Attempts);
            }

            if (!resource.Covers(target))
            {
                throw new M365HttpException(
                    HttpErrorIds.RedirectToForeignHost,
                    $"{state.Method} {state.RedactedUrl} was redirected ({status}) to {RedirectHost(target)}, outside {resource.ResourceId}. It was not followed, and the access token was not sent there.",
                    "Use the final URL of the resource directly. A token is only ever sent to the host of its own resource.",
                    state.Method,
                    state.RedactedUrl,
                    status,
                    attempts: state.Attempts);
            }

            if (!mayRedirect)
            {
                throw new M365HttpException(
                    HttpErrorIds.RedirectNotFollowed,
                    $"{state.Method} {state.RedactedUrl} was redirected ({status}) again after a first redirect; only one is followed.",
                    "Use the final URL of the resource directly.",
                    state.Method,
                    state.RedactedUrl,
                    status,
                    attempts: state.Attempts);
            }

            // 303 always, and 301/302 after a POST (what browsers and HttpClient do), turn into a GET without a body.
            bool toGet = status == 303 || ((status == 301 || status == 302) && string.Equals(state.Method, "POST", StringComparison.OrdinalIgnoreCase));
            return new Redirect(target, toGet);
        }

        private static string RedirectHost(Uri target) => target.IsAbsoluteUri ? target.Scheme + "://" + target.Authority : "a relative URL";

        /// <summary>A redirect to follow.</summary>
        public sealed class Redirect
        {
            public Redirect(Uri target, bool switchesToGet)
            {
                Target = target;
                SwitchesToGet = switchesToGet;
            }

            public Uri Target { get; }

            public bool SwitchesToGet { get; }

            /// <summary>The caller's factory, aimed at the redirect target.</summary>
            public Func<HttpRequestMessage> WrapFactory(Func<HttpRequestMessage> requestFactory) => () =>
            {
                HttpRequestMessage request = requestFactory();
                request.RequestUri = Target;
                if (SwitchesToGet)
                {
                    request.Method = HttpMethod.Get;
                    request.Content?.Dispose();
                    request.Content = null;
                }

                return request;
            };
        }
    }
}
