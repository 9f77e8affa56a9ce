using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace M365.PowerShell.Infrastructure;

/// <summary>Shared matching and quoting for the argument completers.</summary>
internal static class Completions
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return values
            .Where(v => v.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v));
    }

    /// <summary>
    /// Values with a name (a time zone id and its cities, an LCID and its language): a value matches by its start, or, for
    /// a word with a letter, by its name ("-TimeZone Amst" offers 4; "-TimeZone 4" offers 4 and 40 to 49). The name is the list item and the tooltip.
    /// </summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<KeyValuePair<string, string>> values, string? wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return values
            .Where(v => v.Key.StartsWith(word, StringComparison.OrdinalIgnoreCase) || (word.Any(char.IsLetter) && v.Value.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0))
            .Select(v => new CompletionResult(Quote(v.Key), v.Key + "  " + v.Value, CompletionResultType.ParameterValue, v.Value));
    }

    private static string Quote(string value) =>
        value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '#', ',' }) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
