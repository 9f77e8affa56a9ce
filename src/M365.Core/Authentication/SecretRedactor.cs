using System.Text.RegularExpressions;

namespace M365.Core.Authentication
{
    /// <summary>Removes tokens, secrets and passwords from text that may end up in an error message or log.</summary>
    internal static class SecretRedactor
    {
        private const string Mask = "***";

        private static readonly Regex s_formField = new Regex(
            @"(?i)\b(access_token|refresh_token|id_token|client_secret|password|client_assertion|assertion|device_code|code)=[^&\s""']+",
            RegexOptions.CultureInvariant);

        private static readonly Regex s_jsonField = new Regex(
            @"(?i)""(access_token|refresh_token|id_token|client_secret|password|client_assertion|assertion|device_code)""\s*:\s*""[^""]*""",
            RegexOptions.CultureInvariant);

        private static readonly Regex s_bearer = new Regex(@"(?i)\bbearer\s+[A-Za-z0-9\-_.~+/=]+", RegexOptions.CultureInvariant);

        private static readonly Regex s_jwt = new Regex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant);

        public static string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            string result = s_jwt.Replace(text, Mask);
            result = s_bearer.Replace(result, "Bearer " + Mask);
            result = s_formField.Replace(result, m => m.Groups[1].Value + "=" + Mask);
            return s_jsonField.Replace(result, m => "\"" + m.Groups[1].Value + "\":\"" + Mask + "\"");
        }
    }
}
