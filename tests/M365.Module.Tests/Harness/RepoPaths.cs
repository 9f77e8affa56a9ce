namespace M365.Module.Tests.Harness;

/// <summary>Finds the repository and the module folder the build lays out, so tests import what users import.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    public static string ModuleFolder => Path.Combine(RepoRoot, "out", "M365");

    public static string ModuleManifest => Path.Combine(ModuleFolder, "M365.psd1");

    public static string ModuleAssembly => Path.Combine(ModuleFolder, "M365.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "M365Module.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"M365Module.sln was not found above {AppContext.BaseDirectory}.");
    }
}
