namespace M365;

/// <summary>
/// A service principal as the module writes it: Core's <see cref="Core.Services.Graph.ServicePrincipal"/> under the type
/// name the format views select, <c>M365.ServicePrincipal</c>, which comes from the type itself (so PowerShell sees
/// <c>M365.ServicePrincipal</c>, <c>M365.Core.Services.Graph.ServicePrincipal</c>, <c>System.Object</c>).
/// <para>
/// A type name inserted on each object instead (<c>PSObject.TypeNames.Insert</c>) costs a lock and an entry in
/// PowerShell's weak table of type names for every object written: about half of the pipeline thread's time when listing
/// 50,000 service principals, and memory that grows with the listing (bench/Listing.ps1, README Performance).
/// </para>
/// <para>
/// Internal: PowerShell reads M365.dll's public types before the module's dependency bridge exists (DependencyIsolation),
/// and a public type derived from an M365.Core type would make it load M365.Core then. PowerShell shows a type that is
/// not public by the public properties of its base type, which declares them all.
/// </para>
/// </summary>
internal sealed class ServicePrincipal : Core.Services.Graph.ServicePrincipal
{
    /// <summary>An empty one for a listing to fill (<see cref="Core.Services.Graph.ServicePrincipalClient.NewObject"/>): no copy.</summary>
    internal ServicePrincipal()
    {
    }

    [System.Runtime.CompilerServices.MethodImpl(PowerShell.Infrastructure.HotPath.Optimized)]
    internal ServicePrincipal(Core.Services.Graph.ServicePrincipal source)
        : base(source)
    {
    }
}
