using System.Text.RegularExpressions;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>The README says what the code does: its error table lists exactly the ids the module can raise.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void TheErrorTableListsEveryErrorIdTheCodeDefinesAndNoOther()
    {
        var inCode = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "src"), "*ErrorIds.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => ConstantPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Errors you may meet", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var inTable = RowPattern().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.True(inCode.Count > 40, $"only {inCode.Count} ids found in the code");
        Assert.Empty(inCode.Except(inTable).Order());
        Assert.Empty(inTable.Except(inCode).Order());
    }

    [Fact]
    public void TheSitesCsvSampleUsesURLsAndAliasesOfItsOwn()
    {
        // Running the examples, then the CSV, must not collide: the sample's sites are not the examples' sites.
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Sites: `Add-M365SpoSite`", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n### ", 1, StringComparison.Ordinal)];
        var examples = section[..section.IndexOf("\n```\n", StringComparison.Ordinal)];
        var csvStart = section.IndexOf("Type,Title,", StringComparison.Ordinal);
        Assert.True(csvStart > 0, "the Sites section has no CSV sample");
        var csv = section[csvStart..section.IndexOf("```", csvStart, StringComparison.Ordinal)];

        var exampleSites = UrlPattern().Matches(examples).Select(m => m.Value).Concat(AliasPattern().Matches(examples).Select(m => "alias:" + m.Groups[1].Value)).ToHashSet();
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(r => r.Split(',')).ToList();
        Assert.True(rows.Count >= 3, csv);
        var csvSites = rows.SelectMany(r => new[] { r[3], r[2].Length > 0 ? "alias:" + r[2] : string.Empty }).Where(v => v.Length > 0).ToList();

        Assert.NotEmpty(exampleSites);
        Assert.Empty(csvSites.Intersect(exampleSites));
    }

    [GeneratedRegex(@"https://[\w.-]+/sites/[\w-]+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"-Alias (\w+)")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("""public const string \w+ = "(\w+)";""")]
    private static partial Regex ConstantPattern();

    [GeneratedRegex(@"^\| `(\w+)` \|", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}
