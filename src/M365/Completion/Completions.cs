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

    private static string Quote(string value) =>
        value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '#', ',' }) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
