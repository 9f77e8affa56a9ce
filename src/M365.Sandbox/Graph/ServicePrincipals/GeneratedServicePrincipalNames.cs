namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// Realistic, unique line-of-business app names made from the index alone, so any of 100,000 service principals
/// can be built on demand without storing it.
/// </summary>
internal static class GeneratedServicePrincipalNames
{
    private static readonly string[] Vendors =
    {
        "Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adventure Works", "Proseware",
        "Wingtip", "Alpine Ski House", "Coho", "Lucerne", "Margie's Travel", "Trey Research", "Wide World", "Graphic Design Institute",
    };

    private static readonly string[] Areas =
    {
        "Payroll", "Expenses", "Helpdesk", "Inventory", "Invoicing", "Onboarding", "Procurement", "Reporting",
        "Timesheets", "Contracts", "Travel", "Recruiting", "Backup", "Compliance", "Analytics", "Scheduling",
        "Document", "Intranet", "Billing", "Ticketing",
    };

    private static readonly string[] Kinds =
    {
        "Connector", "Portal", "Sync", "Automation", "Service", "Bot", "Dashboard", "Gateway", "Agent", "Integration",
    };

    private static readonly int Combinations = Vendors.Length * Areas.Length * Kinds.Length;

    public static string For(int index)
    {
        var vendor = Vendors[index % Vendors.Length];
        var area = Areas[index / Vendors.Length % Areas.Length];
        var kind = Kinds[index / (Vendors.Length * Areas.Length) % Kinds.Length];
        var round = index / Combinations;
        return round == 0 ? $"{vendor} {area} {kind}" : $"{vendor} {area} {kind} {round + 1}";
    }

    /// <summary>The area word of the index, which names the app role its app exposes.</summary>
    public static string AreaOf(int index) => Areas[index / Vendors.Length % Areas.Length];
}
