using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Authentication.Browser
{
    /// <summary>
    /// The authorize URL MSAL hands over: where the browser is sent (the sandbox's loopback origin with -Sandbox), and the
    /// check of the page before any browser opens.
    /// </summary>
    internal static class AuthorizePage
    {
        /// <summary>How long the check may take; past it the browser opens anyway and shows what Entra ID says.</summary>
        internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

        private const int MaxPageChars = 512 * 1024;

        // Errors Entra ID shows on its own page, never redirecting (it cannot trust the redirect URI, or has no app to
        // trust it for): a browser would wait there until -Timeout, so they are found before it opens.
        private static readonly Regex s_pageError = new Regex(@"AADSTS(50011|500113|700016|90002)\b[^<""\r\n]*", RegexOptions.CultureInvariant);

        /// <summary>The URL for the browser: with a sandbox, the same path and query on its loopback origin.</summary>
        public static Uri ForBrowser(Uri authorizeUrl, SandboxDescriptor? sandbox) =>
            sandbox is null ? authorizeUrl : new Uri(new Uri(sandbox.Url.GetLeftPart(UriPartial.Authority)), authorizeUrl.PathAndQuery);

        /// <summary>
        /// GETs the page once, as the browser will (one round trip, no session made: Entra ID keeps nothing for an
        /// unanswered page), and throws the error a page that can never redirect shows. A page that cannot be fetched
        /// is no verdict: the browser opens and shows it.
        /// </summary>
        /// <exception cref="M365AuthenticationException"><see cref="AuthenticationErrorIds.RedirectUriNotRegistered"/>, <see cref="AuthenticationErrorIds.AppNotFound"/> or <see cref="AuthenticationErrorIds.TenantNotFound"/>.</exception>
        public static async Task ProbeAsync(HttpClient client, Uri authorizeUrl, CancellationToken cancellationToken)
        {
            string page;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(ProbeTimeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, authorizeUrl);
                    using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    using (timeout.Token.Register(response.Dispose))
                    {
                        page = await ReadBoundedAsync(response).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when ((ex is HttpRequestException || ex is OperationCanceledException || ex is IOException || ex is ObjectDisposedException) && !cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            if (PageError(page) is { } error)
            {
                throw error;
            }
        }

        /// <summary>The error a never-redirecting Entra ID page shows, or null.</summary>
        internal static M365AuthenticationException? PageError(string page)
        {
            Match match = s_pageError.Match(page);
            if (!match.Success)
            {
                return null;
            }

            int code = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            string said = SecretRedactor.Redact(System.Net.WebUtility.HtmlDecode(match.Value)).Trim().TrimEnd('.');
            return code switch
            {
                50011 or 500113 => new M365AuthenticationException(
                    AuthenticationErrorIds.RedirectUriNotRegistered,
                    "The app does not accept the browser sign-in's redirect URI http://localhost. Entra ID said: " + said + ".",
                    "In the app registration, under Authentication, add http://localhost as a Mobile and desktop applications redirect URI; or sign in with a device code (Connect-M365 without -Interactive).",
                    code),
                700016 => new M365AuthenticationException(
                    AuthenticationErrorIds.AppNotFound,
                    "The application was not found in the tenant. Entra ID said: " + said + ".",
                    "The PnP Management Shell app (31359c7f-bd7e-475c-86db-fdb8c937548e) was removed from tenants in 2024. Register your own app in Entra ID and pass -AppId, or set CLIMICROSOFT365_AADAPPID.",
                    code),
                _ => new M365AuthenticationException(
                    AuthenticationErrorIds.TenantNotFound,
                    "The tenant was not found. Entra ID said: " + said + ".",
                    "Check -Tenant: give the tenant's domain (contoso.onmicrosoft.com) or its id.",
                    code),
            };
        }

        private static async Task<string> ReadBoundedAsync(HttpResponseMessage response)
        {
            using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxPageChars];
            int length = 0;
            int read;
            while (length < buffer.Length && (read = await reader.ReadAsync(buffer, length, buffer.Length - length).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return new string(buffer, 0, length);
        }
    }
}
