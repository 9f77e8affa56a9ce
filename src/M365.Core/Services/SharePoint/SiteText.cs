namespace M365.Core.Services.SharePoint
{
    /// <summary>Which characters user text sent in a site creation request (CSOM XML or JSON) may hold.</summary>
    internal static class SiteText
    {
        /// <summary>
        /// The index of the first character XML 1.0 does not allow (a control other than tab, CR and LF; U+FFFE; U+FFFF; a lone
        /// surrogate), or of tab, CR or LF in single-line text; null when the text is fine. DEL and the C1 controls are
        /// refused too: XML allows them, but no title, URL or UPN has a use for them.
        /// </summary>
        public static int? FirstForbidden(string value, bool multiLine)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                bool lineSpace = c == '\t' || c == '\r' || c == '\n';
                if ((char.IsControl(c) && !(multiLine && lineSpace)) || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                {
                    return i;
                }
            }

            return null;
        }

        /// <summary>The text with each character <see cref="FirstForbidden"/> refuses written as U+XXXX, fit to quote in a message.</summary>
        public static string Printable(string? value)
        {
            if (value is null || FirstForbidden(value, multiLine: false) is null)
            {
                return value ?? string.Empty;
            }

            var text = new System.Text.StringBuilder(value.Length + 16);
            for (int i = 0; i < value.Length; i++)
            {
                int? bad = FirstForbidden(value[i].ToString(), multiLine: false);
                bool pair = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
                if (pair)
                {
                    text.Append(value, i++, 2);
                }
                else if (bad != null)
                {
                    text.Append("U+").Append(((int)value[i]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(value[i]);
                }
            }

            return text.ToString();
        }
    }
}
