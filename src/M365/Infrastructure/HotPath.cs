using System.Runtime.CompilerServices;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// <c>MethodImplOptions.AggressiveOptimization</c>, which netstandard2.0 does not name, for the module's few methods that
/// run once per listed object: optimized at their first call instead of after thousands of unoptimized ones (the reason
/// is told at M365.Core's HotPath).
/// </summary>
internal static class HotPath
{
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
