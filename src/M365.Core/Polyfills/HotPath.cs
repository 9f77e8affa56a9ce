using System.Runtime.CompilerServices;

namespace M365.Core
{
    /// <summary>
    /// <c>MethodImplOptions.AggressiveOptimization</c>, which netstandard2.0 does not name (.NET Core 3.0 and later honour
    /// it): for the few methods that run once per listed object. M365's assemblies are compiled
    /// just in time, and tiered compilation runs such a method's first thousands of calls as unoptimized code, then
    /// replaces it from a background thread that a loaded machine starves: the first listing of 50,000 service principals in
    /// a new pwsh took twice as long as the second (bench/Listing.ps1; 2.6 s against 5.3 s with tiering off).
    /// </summary>
    internal static class HotPath
    {
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
