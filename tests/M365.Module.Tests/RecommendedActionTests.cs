using System.Text.RegularExpressions;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>
/// Every fix the module tells a person names something that exists: each M365 command and each -Parameter in the text of
/// src/M365 and src/M365.Core (messages, recommended actions) is a real command and a real parameter, and no fix points at
/// a knob that is not there ("allow more retries").
/// </summary>
public sealed partial class RecommendedActionTests
{
    // Parameters of PowerShell's own commands that fixes may name: pwsh -NonInteractive, New-TimeSpan -Minutes,
    // ForEach-Object -Parallel and -ThrottleLimit, ConvertTo-Json -Depth.
    private static readonly string[] OtherCommandsParameters = { "NonInteractive", "Minutes", "Parallel", "ThrottleLimit", "Depth" };

    // Fixes once written that name no parameter or command of the module.
    private static readonly string[] NamesNothing = { "allow more retries", "check later", "per-attempt timeout", "time budget", "set the SharePoint tenant on the connection" };

    [Fact]
    public void EveryCommandAndParameterNamedInMessagesExists()
    {
        using var session = new PowerShellSession();
        var commands = session.RunOk("(Get-Module M365).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var parameters = session.RunOk("(Get-Module M365).ExportedCmdlets.Values | ForEach-Object { $_.Parameters.Keys; $_.Parameters.Values.Aliases }")
            .Output.Select(o => o.ToString()).Concat(OtherCommandsParameters).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = new List<string>();
        var texts = Literals().ToList();
        foreach (var (file, text) in texts)
        {
            unknown.AddRange(CommandPattern().Matches(text).Where(m => !commands.Contains(m.Value)).Select(m => $"{file}: {m.Value} in \"{text}\""));
            unknown.AddRange(ParameterPattern().Matches(text).Where(m => !parameters.Contains(m.Groups[1].Value)).Select(m => $"{file}: -{m.Groups[1].Value} in \"{text}\""));
            unknown.AddRange(NamesNothing.Where(p => text.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => $"{file}: '{p}' in \"{text}\""));
        }

        Assert.True(texts.Count > 300, $"only {texts.Count} string literals read");
        Assert.Contains(texts, t => t.Text.Contains("Get-M365SpoSite -Url", StringComparison.Ordinal));
        Assert.Empty(unknown);
    }

    private static IEnumerable<(string File, string Text)> Literals()
    {
        foreach (var project in new[] { "M365", "M365.Core" })
        {
            var root = Path.Combine(RepoPaths.RepoRoot, "src", project);
            foreach (var file in Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepoPaths.RepoRoot, file);
                if (relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match literal in LiteralPattern().Matches(File.ReadAllText(file)))
                {
                    yield return (relative, literal.Groups[1].Value);
                }
            }
        }
    }

    [GeneratedRegex(@"(?<!@)""((?:[^""\\\r\n]|\\.)*)""")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"\b(?:Connect|Disconnect|Get|Add|Invoke|Set|New|Remove)-M365\w+")]
    private static partial Regex CommandPattern();

    [GeneratedRegex(@"(?:^|(?<=[\s(/]))-([A-Z][A-Za-z]+)\b")]
    private static partial Regex ParameterPattern();
}
