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

    [GeneratedRegex("""public const string \w+ = "(\w+)";""")]
    private static partial Regex ConstantPattern();

    [GeneratedRegex(@"^\| `(\w+)` \|", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}
