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
    private readonly Dictionary<string, Version> _platform;

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

        // The runtime's own copy, when it is as new as the one asked for: one System.Text.Json, one IAsyncEnumerable.
        if (_platform.TryGetValue(name, out var shipped) && (assemblyName.Version is null || shipped >= assemblyName.Version))
        {
            return null;
        }

        var path = Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // Native parts of dependencies (none today) would sit under runtimes/<rid>/native in the dependencies folder.
        return IntPtr.Zero;
    }

    /// <summary>The assemblies the host resolves by itself (TRUSTED_PLATFORM_ASSEMBLIES: the framework and PowerShell).</summary>
    private static Dictionary<string, Version> PlatformAssemblies()
    {
        var result = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (var path in list.Split(Path.PathSeparator).Where(p => p.Length > 0))
        {
            try
            {
                var name = AssemblyName.GetAssemblyName(path);
                if (name.Name is not null && name.Version is not null)
                {
                    result[name.Name] = name.Version;
                }
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is IOException)
            {
                // A native or unreadable file in the list is nothing a managed reference can bind to.
            }
        }

        return result;
    }
}
