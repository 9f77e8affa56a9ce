using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using M365.PowerShell.Infrastructure;

namespace M365.HelpGenerator;

/// <summary>
/// <c>M365.HelpGenerator --template T --manifest M365.psd1 --help M365.dll-Help.xml --out about_M365.help.txt</c>:
/// fills the template's <c>{{CMDLETS}}</c>, <c>{{ERRORS}}</c> and <c>{{SEEALSO}}</c>. Problems are written as MSBuild
/// errors (<c>error M365HELP: …</c>) and exit 1.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = Options(args);
        var problems = AboutHelp.CheckCatalog(ErrorIdConstants());
        var cmdlets = AboutHelp.Cmdlets(File.ReadAllText(options["--manifest"]), XDocument.Load(options["--help"]), problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine("error M365HELP: " + problem);
            }

            return 1;
        }

        var text = AboutHelp.Fill(File.ReadAllText(options["--template"]), cmdlets, ErrorCatalog.Entries);
        var output = options["--out"];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        if (!File.Exists(output) || File.ReadAllText(output) != text)
        {
            File.WriteAllText(output, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        return 0;
    }

    /// <summary>Every <c>public const string</c> of the <c>*ErrorIds</c> classes compiled into this program (M365's and M365.Core's).</summary>
    public static IReadOnlyCollection<(string Owner, string Value)> ErrorIdConstants() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("ErrorIds", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (t.FullName + "." + f.Name, (string)f.GetRawConstantValue()!)))
            .ToList();

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        foreach (var required in new[] { "--template", "--manifest", "--help", "--out" })
        {
            if (!options.ContainsKey(required))
            {
                throw new ArgumentException($"{required} is missing. Usage: M365.HelpGenerator --template T --manifest M --help H --out O");
            }
        }

        return options;
    }
}
