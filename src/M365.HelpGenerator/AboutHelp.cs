using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using M365.PowerShell.Infrastructure;

namespace M365.HelpGenerator;

/// <summary>The sections of about_M365 that come from code: the cmdlets, the error ids, SEE ALSO.</summary>
public static partial class AboutHelp
{
    private const int Width = 116;
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    /// <summary>What is wrong between the id constants and the catalog (each way), and in the catalog itself.</summary>
    public static List<string> CheckCatalog(IReadOnlyCollection<(string Owner, string Value)> constants)
    {
        var problems = new List<string>();
        var catalog = ErrorCatalog.Entries.Select(e => e.Id).ToList();
        foreach (var constant in constants.Where(c => !catalog.Contains(c.Value, StringComparer.Ordinal)))
        {
            problems.Add($"{constant.Owner} = \"{constant.Value}\" is not in src/M365/Infrastructure/ErrorCatalog.cs: add one line there (id, category, cause, fix), and the row to README's error table.");
        }

        foreach (var id in catalog.Where(id => constants.All(c => c.Value != id)).Distinct())
        {
            problems.Add($"ErrorCatalog.cs lists {id}, which no *ErrorIds constant defines: remove the line, or define the constant.");
        }

        foreach (var duplicate in catalog.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"ErrorCatalog.cs lists {duplicate.Key} {duplicate.Count()} times: keep one line.");
        }

        foreach (var entry in ErrorCatalog.Entries.Where(e => string.IsNullOrWhiteSpace(e.Cause) || string.IsNullOrWhiteSpace(e.Fix)))
        {
            problems.Add($"ErrorCatalog.cs: {entry.Id} needs a cause and a fix.");
        }

        return problems;
    }

    /// <summary>The manifest's exported cmdlets, each with the synopsis of its Get-Help.</summary>
    public static List<(string Name, string Synopsis)> Cmdlets(string manifest, XDocument help, List<string> problems)
    {
        var list = CmdletsToExport().Match(manifest);
        if (!list.Success)
        {
            problems.Add("M365.psd1 has no CmdletsToExport list.");
            return new List<(string, string)>();
        }

        var synopses = help.Root!.Elements(Command + "command")
            .Select(c => c.Element(Command + "details"))
            .Where(d => d is not null)
            .ToDictionary(
                d => d!.Element(Command + "name")!.Value.Trim(),
                d => string.Join(" ", d!.Element(Maml + "description")?.Elements(Maml + "para").Select(p => p.Value.Trim()) ?? Enumerable.Empty<string>()),
                StringComparer.OrdinalIgnoreCase);
        var cmdlets = new List<(string, string)>();
        foreach (Match name in Quoted().Matches(list.Groups[1].Value))
        {
            var cmdlet = name.Groups[1].Value;
            if (!synopses.TryGetValue(cmdlet, out var synopsis) || synopsis.Length == 0)
            {
                problems.Add($"M365.dll-Help.xml has no synopsis for {cmdlet}.");
                continue;
            }

            cmdlets.Add((cmdlet, synopsis));
        }

        return cmdlets;
    }

    /// <summary>The template with its placeholders filled.</summary>
    public static string Fill(string template, IReadOnlyList<(string Name, string Synopsis)> cmdlets, IEnumerable<ErrorCatalogEntry> errors)
    {
        var column = cmdlets.Max(c => c.Name.Length) + 2;
        var cmdletText = new StringBuilder();
        foreach (var (name, synopsis) in cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            cmdletText.Append(Wrap(synopsis, 4 + column, "    " + name.PadRight(column)));
        }

        var errorText = new StringBuilder();
        foreach (var entry in errors)
        {
            errorText.Append("    ").Append(entry.Id).Append(" (").Append(entry.Category).Append(")\n");
            errorText.Append(Wrap(Sentence(entry.Cause), 15, "        Cause: "));
            errorText.Append(Wrap(Sentence(entry.Fix), 15, "        Fix:   "));
        }

        var seeAlso = new StringBuilder();
        seeAlso.Append(Wrap(string.Join(", ", cmdlets.Select(c => c.Name)), 4, "    "));
        seeAlso.Append("    Get-Help <command> -Full\n");
        return template.Replace("\r\n", "\n")
            .Replace("{{CMDLETS}}\n", cmdletText.ToString())
            .Replace("{{ERRORS}}\n", errorText.ToString().TrimEnd('\n') + "\n")
            .Replace("{{SEEALSO}}\n", seeAlso.ToString());
    }

    /// <summary>A README cell as plain text: `code` spans lose their backticks; one full stop at the end.</summary>
    public static string Sentence(string markdown)
    {
        var text = markdown.Replace("`", string.Empty).Trim();
        return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
    }

    /// <summary>Words wrapped at the help width, the first line after <paramref name="lead"/>, the rest indented.</summary>
    private static string Wrap(string text, int indent, string lead)
    {
        var result = new StringBuilder();
        var line = new StringBuilder(lead);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                result.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(' ', indent);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        return result.Append(line.ToString().TrimEnd()).Append('\n').ToString();
    }

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)")]
    private static partial Regex CmdletsToExport();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
