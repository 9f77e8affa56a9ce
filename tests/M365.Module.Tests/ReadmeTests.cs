using System.Text.RegularExpressions;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>
/// The README and about_M365 say what the code does: the error catalog (ErrorCatalog.cs, which gives every error record
/// its category) holds exactly the ids the *ErrorIds classes define, README's error table is that catalog row for row,
/// and the generated about_M365 lists every entry and every cmdlet.
/// </summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void TheErrorCatalogHoldsEveryErrorIdConstantOfM365AndM365CoreAndNoOther()
    {
        var inCode = IdConstants();
        var inCatalog = Catalog().Select(e => e.Id).ToList();

        Assert.True(inCode.Count > 40, $"only {inCode.Count} ids found in the code");
        Assert.Equal(inCatalog.Count, inCatalog.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(inCode.Except(inCatalog).Order());
        Assert.Empty(inCatalog.Except(inCode).Order());
    }

    [Fact]
    public void TheReadmeErrorTableIsTheCatalogRowForRow()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Errors you may meet", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var rows = FullRowPattern().Matches(section).Select(m => $"{m.Groups[1].Value} | {m.Groups[2].Value} | {m.Groups[3].Value} | {m.Groups[4].Value}").ToList();
        var catalog = Catalog().Select(e => $"{e.Id} | {e.Category} | {e.Cause} | {e.Fix}").ToList();

        Assert.Equal(catalog, rows);
    }

    [Fact]
    public void TheGeneratedAboutHelpListsEveryCatalogEntryEveryCmdletAndSeeAlso()
    {
        var about = File.ReadAllText(Path.Combine(RepoPaths.ModuleFolder, "en-US", "about_M365.help.txt"));
        var flat = Regex.Replace(about, @"\s+", " ");
        Assert.DoesNotContain("{{", about, StringComparison.Ordinal);
        foreach (var (id, category, cause, fix) in Catalog())
        {
            Assert.Contains($" {id} ({category}) Cause: {Plain(cause)} Fix: {Plain(fix)}", flat, StringComparison.Ordinal);
        }

        using var session = new PowerShellSession();
        var cmdlets = session.RunOk("(Get-Command -Module M365 -CommandType Cmdlet).Name").Output.Select(o => o.ToString()).ToList();
        Assert.True(cmdlets.Count >= 7);
        var cmdletSection = about[about.IndexOf("\nCMDLETS\n", StringComparison.Ordinal)..about.IndexOf("\nSIGNING IN\n", StringComparison.Ordinal)];
        var seeAlso = about[about.IndexOf("\nSEE ALSO\n", StringComparison.Ordinal)..];
        Assert.All(cmdlets, c => Assert.Matches($@"(?m)^    {c} +\S", cmdletSection));
        Assert.All(cmdlets, c => Assert.Contains(c, seeAlso, StringComparison.Ordinal));
    }

    private static string Plain(string markdown)
    {
        var text = markdown.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
        return Regex.Replace(text.EndsWith('.') ? text : text + ".", @"\s+", " ");
    }

    /// <summary>The catalog as the module holds it (imported from out/M365, as users load it).</summary>
    private static List<(string Id, string Category, string Cause, string Fix)> Catalog()
    {
        using var session = new PowerShellSession();
        return session.RunOk("[M365.PowerShell.Infrastructure.ErrorCatalog]::Entries").Output
            .Select(e => (e.Str("Id")!, e.Str("Category")!, e.Str("Cause")!, e.Str("Fix")!))
            .ToList();
    }

    private static HashSet<string> IdConstants() =>
        new[] { "M365", "M365.Core" }
            .SelectMany(project => Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "src", project), "*ErrorIds.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => ConstantPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\| `(\w+)` \| (\w+) \| (.*?) \| (.*?) \|$", RegexOptions.Multiline)]
    private static partial Regex FullRowPattern();

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
