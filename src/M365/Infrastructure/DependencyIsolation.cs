using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Keeps M365.Core and the libraries it uses (MSAL, Polly, Microsoft.IdentityModel, ...) apart from every other module's
/// copies. They sit in the module's dependencies folder, where PowerShell never probes.
/// <list type="bullet">
/// <item>PowerShell 7: M365.Loader.dll puts them in a private AssemblyLoadContext and bridges only the assemblies this
/// cmdlet assembly names (M365.Core and the types of its public API) from the default context.</item>
/// <item>Windows PowerShell 5.1 (.NET Framework has no load contexts): an AppDomain.AssemblyResolve handler answers
/// only for files in that folder. Whatever another module loaded first still wins there.</item>
/// </list>
/// Registered when the module is imported (OnImport), before any cmdlet runs; once per process. PowerShell reads the
/// cmdlets' parameter and OutputType types before OnImport, so none of them may be an M365.Core type (a test checks).
/// </summary>
public sealed class DependencyIsolation : IModuleAssemblyInitializer
{
    private static readonly object s_gate = new();
    private static bool s_registered;

    /// <summary>The dependencies folder beside M365.dll.</summary>
    public static string DependencyFolder { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location) ?? string.Empty, "dependencies");

    public void OnImport() => Register();

    internal static void Register()
    {
        lock (s_gate)
        {
            if (s_registered || !Directory.Exists(DependencyFolder))
            {
                return;
            }

            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromFolder;
            }
            else
            {
                var loader = Assembly.LoadFrom(Path.Combine(Path.GetDirectoryName(DependencyFolder)!, "M365.Loader.dll"));
                loader.GetType("M365.Loader.ModuleLoadContextBridge", throwOnError: true)!
                    .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { typeof(DependencyIsolation).Assembly, DependencyFolder });
            }

            s_registered = true;
        }
    }

    private static Assembly? ResolveFromFolder(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        var path = Path.Combine(DependencyFolder, name + ".dll");
        if (name is null || !File.Exists(path))
        {
            return null;
        }

        // Already loaded from this folder by an earlier request: the same assembly, not a second copy.
        return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.OrdinalIgnoreCase))
            ?? Assembly.LoadFrom(path);
    }
}
