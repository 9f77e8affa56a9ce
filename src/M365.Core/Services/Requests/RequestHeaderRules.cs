using System;
using System.Collections.Generic;

namespace M365.Core.Services.Requests
{
    /// <summary>
    /// Checks the caller's headers of a raw request before anything is sent: a CR, LF or NUL in a name or value would end the
    /// header line and start another on the wire (<c>"b`r`nAuthorization: Bearer …"</c>), and the Authorization header is the
    /// module's alone. Values are never echoed, since a header may hold a secret.
    /// </summary>
    internal static class RequestHeaderRules
    {
        private const string Action = "Give each header a name of letters, digits and -, and a value on one line (no CR, LF or NUL); the module sets Authorization itself.";

        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.RequestHeaderInvalid"/>, targeting the header's name.</exception>
        public static void Check(ServiceRequest request)
        {
            foreach (KeyValuePair<string, string> header in request.Headers)
            {
                Check(header.Key, header.Value);
            }

            if (request.ContentType != null)
            {
                Check("Content-Type", request.ContentType);
            }
        }

        private static void Check(string name, string? value)
        {
            if (name.Length == 0 || !IsToken(name))
            {
                throw Invalid($"The header name '{Printable(name)}' is not a valid header name (it has a space, a colon, a line break or another character HTTP does not allow there); nothing was sent.", name);
            }

            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("The Authorization header is set by the module from the connection's token and cannot be given in -Headers; nothing was sent.", name);
            }

            if (value != null && value.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
            {
                throw Invalid($"The value of the header '{name}' contains a line break (CR or LF) or a NUL, which would add other headers to the request; nothing was sent.", name);
            }
        }

        private static M365Exception Invalid(string message, string name) =>
            new M365Exception(ServiceErrorIds.RequestHeaderInvalid, message, Action, name);

        // tchar of RFC 9110.
        private static bool IsToken(string name)
        {
            foreach (char c in name)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static string Printable(string text)
        {
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = char.IsControl(chars[i]) ? '?' : chars[i];
            }

            return new string(chars);
        }
    }
}
