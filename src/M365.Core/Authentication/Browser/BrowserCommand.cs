using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace M365.Core.Authentication.Browser
{
    /// <summary>
    /// The <c>$BROWSER</c> convention of xdg-open and Python's webbrowser: a list of commands separated by the PATH separator
    /// (<c>:</c>, <c>;</c> on Windows), each a command line split as a POSIX shell would (quotes and backslashes), with
    /// <c>%s</c> replaced by the URL (<c>%%</c> is a literal <c>%</c>), else the URL appended as the last argument.
    /// </summary>
    internal static class BrowserCommand
    {
        /// <summary>The commands of <paramref name="value"/>, each as program and arguments; empty entries are skipped.</summary>
        public static IReadOnlyList<IReadOnlyList<string>> ParseList(string value)
        {
            var commands = new List<IReadOnlyList<string>>();
            foreach (string entry in SplitList(value ?? string.Empty))
            {
                IReadOnlyList<string> words = SplitWords(entry);
                if (words.Count > 0)
                {
                    commands.Add(words);
                }
            }

            return commands;
        }

        /// <summary>The arguments (after the program) to run <paramref name="command"/> with for <paramref name="url"/>.</summary>
        public static IReadOnlyList<string> Arguments(IReadOnlyList<string> command, string url)
        {
            var arguments = new List<string>(command.Count);
            bool placed = false;
            for (int i = 1; i < command.Count; i++)
            {
                string word = command[i];
                if (word.IndexOf('%') >= 0)
                {
                    string expanded = Expand(word, url, out bool used);
                    placed |= used;
                    arguments.Add(expanded);
                }
                else
                {
                    arguments.Add(word);
                }
            }

            if (!placed)
            {
                arguments.Add(url);
            }

            return arguments;
        }

        private static string Expand(string word, string url, out bool used)
        {
            used = false;
            var result = new StringBuilder(word.Length + url.Length);
            for (int i = 0; i < word.Length; i++)
            {
                if (word[i] == '%' && i + 1 < word.Length && (word[i + 1] == 's' || word[i + 1] == '%'))
                {
                    used |= word[i + 1] == 's';
                    result.Append(word[i + 1] == 's' ? url : "%");
                    i++;
                }
                else
                {
                    result.Append(word[i]);
                }
            }

            return result.ToString();
        }

        // The separator splits only outside quotes, so "C:\Program Files\x" quoted on Windows survives.
        private static IEnumerable<string> SplitList(string value)
        {
            char separator = Path.PathSeparator;
            var current = new StringBuilder();
            char quote = '\0';
            foreach (char c in value)
            {
                if (quote == '\0' && c == separator)
                {
                    yield return current.ToString();
                    current.Clear();
                    continue;
                }

                if (c == '"' || c == '\'')
                {
                    quote = quote == '\0' ? c : quote == c ? '\0' : quote;
                }

                current.Append(c);
            }

            yield return current.ToString();
        }

        /// <summary>POSIX shell word splitting without expansion: blanks separate, quotes group, a backslash escapes (not in single quotes).</summary>
        internal static IReadOnlyList<string> SplitWords(string line)
        {
            var words = new List<string>();
            var current = new StringBuilder();
            bool inWord = false;
            char quote = '\0';
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quote == '\'')
                {
                    if (c == '\'') { quote = '\0'; } else { current.Append(c); }
                    continue;
                }

                if (c == '\\' && i + 1 < line.Length && (quote == '\0' || line[i + 1] == '"' || line[i + 1] == '\\'))
                {
                    current.Append(line[++i]);
                    inWord = true;
                    continue;
                }

                if (quote == '"')
                {
                    if (c == '"') { quote = '\0'; } else { current.Append(c); }
                    continue;
                }

                if (c == '"' || c == '\'')
                {
                    quote = c;
                    inWord = true;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (inWord)
                    {
                        words.Add(current.ToString());
                        current.Clear();
                        inWord = false;
                    }
                }
                else
                {
                    current.Append(c);
                    inWord = true;
                }
            }

            if (inWord)
            {
                words.Add(current.ToString());
            }

            return words;
        }
    }
}
