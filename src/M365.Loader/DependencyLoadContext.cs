using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace M365.Loader;

/// <summary>
/// The private load context of M365 on PowerShell 7: M365.Core and the libraries it uses load here from the module's
/// dependencies folder. What the runtime itself ships (the framework and PowerShell's own assemblies) at the version
/// asked for, or newer, is shared with the default context instead, so framework types keep one identity.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _folder;
    private readonly Dictionary<string, string> _platform;

    public DependencyLoadContext(string folder)
        : base("M365", isCollectible: false)
    {
        _folder = folder;
        _platform = PlatformAssemblies();
    }

    public string Folder => _folder;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null)
        {
            return null;
        }

        var path = Path.Combine(_folder, name + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }

        // The runtime's own copy, when it is as new as the one asked for: one System.Text.Json, one IAsyncEnumerable.
        // Its version is read only for the few names that are in both places, and only when asked for.
        if (_platform.TryGetValue(name, out var platformPath)
            && (assemblyName.Version is null || AssemblyName.GetAssemblyName(platformPath).Version >= assemblyName.Version))
        {
            return null;
        }

        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // Native parts of dependencies (none today) would sit under runtimes/<rid>/native in the dependencies folder.
        return IntPtr.Zero;
    }

    /// <summary>
    /// The assemblies the host resolves by itself (TRUSTED_PLATFORM_ASSEMBLIES: the framework and PowerShell), by simple
    /// name. Only the list is read here, no file: import must stay cheap.
    /// </summary>
    private static Dictionary<string, string> PlatformAssemblies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (var path in list.Split(Path.PathSeparator))
        {
            if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                result[Path.GetFileNameWithoutExtension(path)] = path;
            }
        }

        return result;
    }
}
