using System;
using System.Collections.Generic;
using System.Text;
using M365.Core.Authentication;

namespace M365.Core.Http
{
    /// <summary>
    /// Makes a request URL safe for verbose output and errors: no user info, the values of secret-bearing query parameters
    /// (tokens, secrets, SAS signatures, SharePoint's <c>tempauth</c>) masked, and the length capped.
    /// </summary>
    internal static class RequestUrlRedactor
    {
        private const int MaxLength = 1000;
        private const string Mask = "***";

        private static readonly HashSet<string> s_secretParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "access_token", "refresh_token", "id_token", "client_secret", "password", "client_assertion", "assertion",
            "code", "device_code", "sig", "signature", "key", "api-key", "apikey", "api_key", "token", "secret", "tempauth",
            "x-amz-signature", "x-goog-signature",
        };

        /// <summary>The URL with secrets removed.</summary>
        public static string Redact(Uri? url)
        {
            if (url is null)
            {
                return string.Empty;
            }

            if (!url.IsAbsoluteUri)
            {
                return Cap(SecretRedactor.Redact(url.OriginalString));
            }

            var builder = new StringBuilder(url.Scheme).Append("://").Append(url.Authority).Append(url.AbsolutePath);
            string query = url.Query;
            if (query.Length > 1)
            {
                builder.Append('?');
                string[] pairs = query.Substring(1).Split('&');
                for (int i = 0; i < pairs.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append('&');
                    }

                    string pair = pairs[i];
                    int equals = pair.IndexOf('=');
                    string name = equals < 0 ? pair : pair.Substring(0, equals);
                    builder.Append(equals >= 0 && s_secretParameters.Contains(Uri.UnescapeDataString(name)) ? name + "=" + Mask : pair);
                }
            }

            // The catch-all pass masks JWTs and bearer strings wherever they hide (paths, unusual parameter names).
            return Cap(SecretRedactor.Redact(builder.ToString()));
        }

        private static string Cap(string text) => text.Length <= MaxLength ? text : text.Substring(0, MaxLength) + "…";
    }
}
