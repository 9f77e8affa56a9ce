using System;
using System.Text;

namespace M365.Core
{
    /// <summary>
    /// Joins the sentences of a message so that each ends with exactly one full stop, whatever its parts end with: a service
    /// message that already ends in "." must not become "..", and one without a stop must not run into the next sentence.
    /// </summary>
    public static class Sentences
    {
        /// <summary>The text, trimmed, ending with one terminal mark: a trailing run of full stops becomes one, and "." is added after anything but ".", "!", "?" or "…".</summary>
        /// <param name="text">A sentence, or null.</param>
        /// <returns>The sentence with one terminal mark; empty for null or blank text.</returns>
        public static string End(string? text)
        {
            if (text is null)
            {
                return string.Empty;
            }

            string trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                return string.Empty;
            }

            int end = trimmed.Length;
            while (end > 0 && (trimmed[end - 1] == '.' || char.IsWhiteSpace(trimmed[end - 1])))
            {
                end--;
            }

            if (end == 0)
            {
                return string.Empty;
            }

            char last = trimmed[end - 1];
            string body = trimmed.Substring(0, end);
            return last == '!' || last == '?' || last == '…' ? body : body + ".";
        }

        /// <summary>The non-blank <paramref name="parts"/>, each ended with <see cref="End"/>, joined by one space.</summary>
        /// <param name="parts">Sentences; null or blank ones are left out.</param>
        public static string Join(params string?[] parts)
        {
            if (parts is null)
            {
                throw new ArgumentNullException(nameof(parts));
            }

            var text = new StringBuilder();
            foreach (string? part in parts)
            {
                string sentence = End(part);
                if (sentence.Length > 0)
                {
                    if (text.Length > 0)
                    {
                        text.Append(' ');
                    }

                    text.Append(sentence);
                }
            }

            return text.ToString();
        }
    }
}
