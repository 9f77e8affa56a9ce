namespace M365.Sandbox.SharePoint;

/// <summary>The multi-geo locations SharePoint accepts as PreferredDataLocation (Microsoft 365 Multi-Geo's codes).</summary>
internal static class GeoLocations
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "APC", "ARE", "AUS", "BRA", "CAN", "CHE", "DEU", "ESP", "EUR", "FRA", "GBR", "IND", "ISR", "ITA", "JPN", "KOR",
        "MEX", "NAM", "NOR", "NZL", "POL", "QAT", "SWE", "TWN", "ZAF",
    };

    public static bool IsKnown(string code) => Known.Contains(code);
}
