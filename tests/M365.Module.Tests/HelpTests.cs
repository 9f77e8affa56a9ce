using System.Collections;
using System.Management.Automation;
using System.Xml.Linq;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>
/// Get-Help as users meet it: every exported cmdlet has real help from en-US/M365.dll-Help.xml, which documents every
/// parameter the cmdlet has and no parameter it does not have.
/// </summary>
public sealed class HelpTests
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

    // One row per exported cmdlet: what Get-Command says it has, and what Get-Help -Full says about it.
    // Only Microsoft.PowerShell.Core commands exist in the hosted engine (no Sort-Object or Out-String), so sorting happens in C#.
    private const string HelpReport = """
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in @((Get-Module M365).ExportedCmdlets.Keys)) {
            $command = Get-Command $name
            $help = Get-Help $name -Full
            $documented = [ordered]@{}
            foreach ($p in @($help.parameters.parameter)) {
                if ($null -ne $p) { $documented[[string]$p.name] = (@($p.description) | ForEach-Object { $_.Text }) -join ' ' }
            }
            $sets = foreach ($set in $command.ParameterSets) {
                ,@($set.Parameters | Where-Object { $_.Name -notin $common } | ForEach-Object { $_.Name })
            }
            $syntax = foreach ($item in @($help.syntax.syntaxItem)) {
                ,@(@($item.parameter) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_.name })
            }
            [pscustomobject]@{
                Name = $name
                Synopsis = [string]$help.Synopsis
                GeneratedSyntax = ([string](Get-Command $name -Syntax)).Trim()
                Examples = @($help.examples.example | Where-Object { $null -ne $_ -and "$($_.code)".Trim() -ne '' }).Count
                Parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
                Documented = $documented
                ParameterSets = @($sets)
                SyntaxItems = @($syntax)
            }
        }
        """;

    [Fact]
    public void EveryExportedCmdletHasASynopsisAndExamples()
    {
        foreach (var row in Report())
        {
            var name = row.Str("Name")!;
            var synopsis = row.Str("Synopsis")?.Trim() ?? string.Empty;
            Assert.False(synopsis.Length == 0, $"{name} has no synopsis");

            // Without a help file, Get-Help makes the synopsis up from the syntax ("Connect-M365 [-AppId <string>] ...").
            Assert.False(synopsis.Contains("[-", StringComparison.Ordinal) || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase),
                $"{name}'s synopsis is the generated syntax, so its help file was not found: {synopsis}");
            Assert.NotEqual(row.Str("GeneratedSyntax"), synopsis);

            Assert.True(Convert.ToInt32(row.Prop("Examples")) >= 1, $"{name} has no example");
        }
    }

    [Fact]
    public void EveryParameterIsDocumentedAndNoDocumentedParameterIsStale()
    {
        foreach (var row in Report())
        {
            var name = row.Str("Name")!;
            var parameters = row.Strings("Parameters");
            var documented = Documented(row);

            foreach (var parameter in parameters)
            {
                Assert.True(documented.TryGetValue(parameter, out var description), $"{name} -{parameter} is missing from the help");
                Assert.False(string.IsNullOrWhiteSpace(description), $"{name} -{parameter} has an empty description in the help");
            }

            foreach (var helpParameter in documented.Keys)
            {
                Assert.True(parameters.Contains(helpParameter, StringComparer.OrdinalIgnoreCase), $"The help of {name} documents -{helpParameter}, which {name} does not have");
            }
        }
    }

    [Fact]
    public void SyntaxInTheHelpMatchesTheParameterSets()
    {
        foreach (var row in Report())
        {
            var name = row.Str("Name")!;
            var sets = Lists(row.Prop("ParameterSets"));
            var syntax = Lists(row.Prop("SyntaxItems"));
            Assert.True(sets.Count == syntax.Count, $"{name} has {sets.Count} parameter sets but its help shows {syntax.Count} syntax items");
            foreach (var set in sets)
            {
                Assert.True(
                    syntax.Any(item => item.SequenceEqual(set, StringComparer.OrdinalIgnoreCase)),
                    $"No syntax item in the help of {name} lists exactly the parameters [{string.Join(", ", set)}]");
            }
        }
    }

    [Fact]
    public void HelpFileIsWellFormedMamlForExactlyTheExportedCmdlets()
    {
        var source = Path.Combine(RepoPaths.RepoRoot, "src", "M365", "en-US", "M365.dll-Help.xml");
        var shipped = Path.Combine(RepoPaths.ModuleFolder, "en-US", "M365.dll-Help.xml");
        Assert.True(File.Exists(shipped), $"The build did not copy the help file to {shipped}");
        Assert.Equal(File.ReadAllText(source), File.ReadAllText(shipped));

        var document = XDocument.Load(shipped);
        var root = document.Root!;
        Assert.Equal(Msh + "helpItems", root.Name);
        Assert.Equal("maml", (string?)root.Attribute("schema"));

        var commands = root.Elements(Command + "command").ToList();
        var named = commands.Select(c => (string)c.Element(Command + "details")!.Element(Command + "name")!).ToList();
        Assert.Equal(named.Count, named.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var command in commands)
        {
            var details = command.Element(Command + "details")!;
            var name = (string)details.Element(Command + "name")!;
            Assert.Equal(name, $"{(string)details.Element(Command + "verb")!}-{(string)details.Element(Command + "noun")!}");
            Assert.NotNull(command.Element(Command + "syntax"));
            Assert.NotNull(command.Element(Command + "inputTypes"));
            Assert.NotNull(command.Element(Command + "returnValues"));
            Assert.NotNull(command.Element(Maml + "alertSet"));
            Assert.InRange(command.Element(Command + "examples")!.Elements(Command + "example").Count(), 2, 6);
        }

        using var session = new PowerShellSession();
        var exported = session.RunOk("@((Get-Module M365).ExportedCmdlets.Keys)").Output.Select(o => o.BaseObject.ToString()!);
        Assert.Equal(exported.OrderBy(s => s, StringComparer.OrdinalIgnoreCase), named.OrderBy(s => s, StringComparer.OrdinalIgnoreCase));
    }

    private static IReadOnlyList<PSObject> Report()
    {
        using var session = new PowerShellSession();
        var rows = session.RunOk(HelpReport).Output;
        Assert.NotEmpty(rows);
        return rows;
    }

    private static Dictionary<string, string> Documented(PSObject row)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in (IDictionary)row.Prop("Documented")!)
        {
            result[entry.Key.ToString()!] = entry.Value is PSObject ps ? ps.BaseObject.ToString()! : entry.Value?.ToString() ?? string.Empty;
        }

        return result;
    }

    private static List<string[]> Lists(object? value) =>
        value is IEnumerable items
            ? items.Cast<object?>()
                .Select(i => i is PSObject p ? p.BaseObject : i)
                .Select(i => i is IEnumerable inner and not string
                    ? inner.Cast<object?>().Select(x => (x is PSObject px ? px.BaseObject : x)!.ToString()!).OrderBy(x => x, StringComparer.OrdinalIgnoreCase).ToArray()
                    : i is null ? Array.Empty<string>() : new[] { i.ToString()! })
                .ToList()
            : new List<string[]>();
}
