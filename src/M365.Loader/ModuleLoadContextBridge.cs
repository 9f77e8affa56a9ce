using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace M365.Loader;

/// <summary>
/// Registered once per process by M365.dll when it is loaded on PowerShell 7. When the default context cannot find
/// M365.Core (it is not where PowerShell probes), this hands it over from M365's private context; the same goes for the
/// few other assemblies the cmdlet assembly itself names in its references (for example Microsoft.Bcl.TimeProvider,
/// which M365.Core's public API uses) so that both sides see one type. Nothing is ever loaded into the default context.
/// </summary>
public static class ModuleLoadContextBridge
{
    private static readonly object s_gate = new();
    private static DependencyLoadContext? s_context;
    private static HashSet<string>? s_bridged;

    /// <summary>The private context, once registered (the same one for every runspace and every re-import).</summary>
    public static AssemblyLoadContext? Context => s_context;

    /// <summary>
    /// Registers the bridge for <paramref name="cmdletAssembly"/> (M365.dll, from its IModuleAssemblyInitializer). Idempotent:
    /// every runspace and every re-import share one private context.
    /// </summary>
    /// <param name="cmdletAssembly">M365.dll: the assemblies it references that sit in the dependencies folder are bridged.</param>
    /// <param name="dependencyFolder">The module's dependencies folder.</param>
    public static void Register(Assembly cmdletAssembly, string dependencyFolder)
    {
        ArgumentNullException.ThrowIfNull(cmdletAssembly);
        lock (s_gate)
        {
            if (s_context is not null)
            {
                return;
            }

            s_bridged = new HashSet<string>(
                cmdletAssembly.GetReferencedAssemblies().Select(a => a.Name!).Where(name => File.Exists(Path.Combine(dependencyFolder, name + ".dll"))),
                StringComparer.OrdinalIgnoreCase);
            s_context = new DependencyLoadContext(dependencyFolder);
            AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
        }
    }

    private static Assembly? OnDefaultResolving(AssemblyLoadContext context, AssemblyName name)
    {
        var m365 = s_context;
        if (m365 is null || name.Name is null || !s_bridged!.Contains(name.Name))
        {
            return null;
        }

        return m365.LoadFromAssemblyName(name);
    }
}
