using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using M365.Module.Tests.Harness;

namespace M365.Module.Tests;

/// <summary>Rules that hold for the built module folder from the first commit on.</summary>
public sealed class ModuleFoundationTests
{
    private static readonly string[] ForbiddenAssemblyPrefixes = { "Microsoft.Identity.", "Polly" };

    [Fact]
    public void ModuleFolderHoldsEverythingItNeeds()
    {
        foreach (var file in new[] { "M365.psd1", "M365.Format.ps1xml", "M365.dll", "M365.Loader.dll", "LICENSE", "CHANGELOG.md",
            "dependencies/M365.Core.dll", "dependencies/Microsoft.Identity.Client.dll", "dependencies/Polly.Core.dll" })
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleFolder, file)), $"{file} is missing from {RepoPaths.ModuleFolder}");
        }

        // Only the cmdlet assembly and the bridge sit where PowerShell probes; everything else in dependencies/.
        Assert.Equal(
            new[] { "M365.Loader.dll", "M365.dll" },
            Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // PowerShell itself (the SDK the runner and the tests host, with its Windows-only runtime package under
        // Microsoft's own terms) must never be shipped inside the module.
        var shipped = Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(shipped, f => f!.StartsWith("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
            || f.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase)
            || f.StartsWith("Microsoft.Management.Infrastructure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ManifestIsValidAndCarriesTheBuildVersion()
    {
        using var session = new PowerShellSession(importModule: false);
        var result = session.RunOk("Test-ModuleManifest -Path $path", new Dictionary<string, object?> { ["path"] = RepoPaths.ModuleManifest });
        var info = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);

        Assert.Equal("M365", info.Name);
        Assert.Equal(new Version(ReadBuildVersion()), info.Version);
        Assert.Equal(new Version(5, 1), info.PowerShellVersion);
        Assert.Equal(new[] { "Core", "Desktop" }, info.CompatiblePSEditions.OrderBy(e => e, StringComparer.Ordinal));
        Assert.Equal("M365.dll", info.RootModule);
        Assert.Empty(info.ExportedFunctions);
        Assert.Empty(info.ExportedAliases);
        Assert.Empty(info.ExportedVariables);
        Assert.NotEmpty(info.Tags);
        Assert.Contains("M365.Format.ps1xml", info.ExportedFormatFiles.Select(Path.GetFileName));
    }

    [Fact]
    public void ManifestListsCmdletsExplicitlyAndLoadsNoMsalUpFront()
    {
        var manifest = File.ReadAllText(RepoPaths.ModuleManifest);
        Assert.DoesNotContain("RequiredAssemblies", manifest, StringComparison.Ordinal);
        var cmdlets = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
        Assert.True(cmdlets.Success, "CmdletsToExport must be an explicit @(...) list");
        Assert.DoesNotContain("*", cmdlets.Groups["list"].Value, StringComparison.Ordinal);
        Assert.Matches(@"FunctionsToExport\s*=\s*@\(\s*\)", manifest);
    }

    [Fact]
    public void ExportedCmdletsAreExactlyTheManifestList()
    {
        using var session = new PowerShellSession();
        var result = session.RunOk(
            "$m = Get-Module M365; $data = & ([scriptblock]::Create([IO.File]::ReadAllText([IO.Path]::Combine($m.ModuleBase, 'M365.psd1')))); " +
            "[pscustomobject]@{ Exported = @($m.ExportedCmdlets.Keys); Listed = @($data.CmdletsToExport) }");
        var row = Assert.Single(result.Output);
        var exported = ToStrings(row.Properties["Exported"].Value);
        var listed = ToStrings(row.Properties["Listed"].Value);
        Assert.Equal(listed.OrderBy(s => s, StringComparer.OrdinalIgnoreCase), exported.OrderBy(s => s, StringComparer.OrdinalIgnoreCase));

        // Every cmdlet class in M365.dll is exported: none is forgotten in the manifest.
        var classes = ModuleAssembly().GetExportedTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>())
            .Where(a => a is not null)
            .Select(a => $"{a!.VerbName}-{a.NounName}");
        Assert.Equal(classes.OrderBy(s => s, StringComparer.OrdinalIgnoreCase), exported.OrderBy(s => s, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void EveryCmdletIsSealedUsesAnApprovedVerbAndDeclaresItsOutput()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var type in ModuleAssembly().GetTypes())
        {
            var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
            if (cmdlet is null)
            {
                continue;
            }

            if (!type.IsSealed)
            {
                problems.Add($"{type.Name} is not sealed");
            }

            if (!approved.Contains(cmdlet.VerbName))
            {
                problems.Add($"{type.Name} uses the unapproved verb {cmdlet.VerbName}");
            }

            if (!type.GetCustomAttributes<OutputTypeAttribute>().Any())
            {
                problems.Add($"{type.Name} declares no [OutputType]");
            }

            if (type.Name != $"{cmdlet.VerbName}{cmdlet.NounName}Command")
            {
                problems.Add($"{type.Name} should be named {cmdlet.VerbName}{cmdlet.NounName}Command");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PublicApiExposesNoMsalOrPollyType()
    {
        var offenders = new List<string>();
        foreach (var type in ModuleAssembly().GetExportedTypes())
        {
            Check(type, type.FullName!, offenders);
            const BindingFlags Visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly | BindingFlags.NonPublic;
            foreach (var member in type.GetMembers(Visible))
            {
                if (!IsVisibleOutside(member))
                {
                    continue;
                }

                var where = $"{type.FullName}.{member.Name}";
                switch (member)
                {
                    case FieldInfo f:
                        Check(f.FieldType, where, offenders);
                        break;
                    case PropertyInfo p:
                        Check(p.PropertyType, where, offenders);
                        break;
                    case EventInfo e:
                        Check(e.EventHandlerType!, where, offenders);
                        break;
                    case MethodBase m:
                        if (m is MethodInfo mi)
                        {
                            Check(mi.ReturnType, where, offenders);
                        }

                        foreach (var p in m.GetParameters())
                        {
                            Check(p.ParameterType, where, offenders);
                        }

                        break;
                }
            }
        }

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void ModuleImportsInASecondRunspaceOfTheSameProcess()
    {
        using var first = new PowerShellSession();
        using var second = new PowerShellSession();
        var a = first.RunOk("(Get-Module M365).Version.ToString()");
        var b = second.RunOk("Import-Module $path -Force -PassThru | ForEach-Object { $_.Version.ToString() }", new Dictionary<string, object?> { ["path"] = RepoPaths.ModuleManifest });
        Assert.Equal(ReadBuildVersion(), a.Output.Single().ToString());
        Assert.Equal(ReadBuildVersion(), b.Output.Single().ToString());
    }

    [Fact]
    public void HarnessReportsAFailedImportLoudly()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"m365-broken-{Guid.NewGuid():N}");
        Directory.CreateDirectory(broken);
        try
        {
            var manifest = Path.Combine(broken, "Broken.psd1");
            File.WriteAllText(manifest, "@{ RootModule = 'DoesNotExist.dll'; ModuleVersion = '1.0.0' }");
            Assert.ThrowsAny<Exception>(() => new PowerShellSession(manifest: manifest).Dispose());

            using var session = new PowerShellSession(importModule: false);
            var ex = Assert.Throws<Xunit.Sdk.XunitException>(() => session.RunOk("Import-Module $path", new Dictionary<string, object?> { ["path"] = manifest }));
            Assert.Contains("DoesNotExist.dll", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }

    [Fact]
    public void OutDefaultRendersThroughTheCaptureHost()
    {
        using var session = new PowerShellSession();
        var result = session.RunOk("[pscustomobject]@{ Name = 'alpha'; Size = 42 } | Out-Default");
        Assert.Contains("alpha", result.HostText, StringComparison.Ordinal);
        Assert.Contains("42", result.HostText, StringComparison.Ordinal);
    }

    [Fact]
    public void PowerShellScriptsOfTheRepositoryParse()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests"), "*.ps1")
            .Append(Path.Combine(RepoPaths.RepoRoot, "build.ps1"))
            .ToList();
        Assert.Contains(scripts, s => s.EndsWith("Connect.Tests.ps1", StringComparison.Ordinal));
        foreach (var script in scripts)
        {
            System.Management.Automation.Language.Parser.ParseFile(script, out _, out var errors);
            Assert.True(errors.Length == 0, $"{Path.GetFileName(script)}: " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
        }
    }

    internal static Assembly ModuleAssembly()
    {
        // Imported the way PowerShell does it, so that its dependencies resolve (M365.Core loads through the bridge the
        // import registers); a bare Assembly.LoadFrom would not find M365.Core in dependencies/.
        var path = RepoPaths.ModuleAssembly;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.Ordinal));
        if (loaded is null)
        {
            using var session = new PowerShellSession();
            loaded = AppDomain.CurrentDomain.GetAssemblies().First(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.Ordinal));
        }

        return loaded;
    }

    internal static string ReadBuildVersion()
    {
        var props = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props"));
        return Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
    }

    private static List<string> ToStrings(object? value) => value switch
    {
        null => new List<string>(),
        PSObject ps => ToStrings(ps.BaseObject),
        string s => new List<string> { s },
        IEnumerable items => items.Cast<object?>().Select(i => i is PSObject p ? p.BaseObject.ToString()! : i!.ToString()!).ToList(),
        _ => new List<string> { value.ToString()! },
    };

    private static bool IsVisibleOutside(MemberInfo member) => member switch
    {
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        Type t => t.IsNestedPublic || t.IsNestedFamily,
        _ => false,
    };

    private static void Check(Type type, string where, List<string> offenders)
    {
        if (type.HasElementType)
        {
            Check(type.GetElementType()!, where, offenders);
            return;
        }

        var assembly = type.Assembly.GetName().Name ?? string.Empty;
        if (ForbiddenAssemblyPrefixes.Any(p => assembly.StartsWith(p, StringComparison.Ordinal)))
        {
            offenders.Add($"{where} exposes {type.FullName} from {assembly}");
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var arg in type.GetGenericArguments())
            {
                Check(arg, where, offenders);
            }
        }

        if (type.BaseType is { } baseType && type.Assembly == ModuleAssembly())
        {
            Check(baseType, where + " (base type)", offenders);
        }

        foreach (var iface in type.Assembly == ModuleAssembly() ? type.GetInterfaces() : Type.EmptyTypes)
        {
            Check(iface, where + " (interface)", offenders);
        }
    }
}
