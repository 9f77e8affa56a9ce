namespace M365.Try;

/// <summary>Finds the module folder the build lays out (out/M365), walking up from this program to the repository.</summary>
public static class ModuleFolder
{
    public static string Manifest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, "out", "M365", "M365.psd1");
            if (File.Exists(manifest))
            {
                return manifest;
            }
        }

        throw new FileNotFoundException("The module folder out/M365 was not found above " + AppContext.BaseDirectory + ". Run 'dotnet build M365Module.sln'.");
    }
}
