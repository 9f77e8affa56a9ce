using System.Management.Automation;

namespace M365.Module.Tests.Harness;

/// <summary>
/// Reads module objects the way scripts do, through PowerShell's adapter. The test assembly deliberately has no
/// compile-time reference to M365.dll: only the copy imported from out/M365 is ever loaded.
/// </summary>
internal static class PSObjectExtensions
{
    public static object? Prop(this PSObject value, string name) =>
        (value.Properties[name] ?? throw new Xunit.Sdk.XunitException($"{value.BaseObject.GetType().FullName} has no property {name}")).Value is PSObject ps
            ? ps.BaseObject
            : value.Properties[name].Value;

    public static string? Str(this PSObject value, string name) => value.Prop(name)?.ToString();

    public static string[] Strings(this PSObject value, string name) => value.Prop(name) switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        System.Collections.IEnumerable items => items.Cast<object?>().Select(i => i is PSObject p ? p.BaseObject.ToString()! : i!.ToString()!).ToArray(),
        var other => new[] { other.ToString()! },
    };

    public static string TypeName(this PSObject value) => value.BaseObject.GetType().FullName!;
}
