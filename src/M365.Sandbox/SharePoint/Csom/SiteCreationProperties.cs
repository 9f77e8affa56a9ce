using System.Globalization;
using System.Xml.Linq;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// Reads the SiteCreationProperties parameter of Tenant.CreateSite
/// (&lt;Parameter TypeId="{11f84fff-…}"&gt;&lt;Property Name Type&gt;value&lt;/Property&gt;…) and validates it as SharePoint does.
/// </summary>
internal static class SiteCreationProperties
{
    public const string TypeId = "{11f84fff-b8cf-47b6-8b50-34e692656606}";

    public static SiteCreationSpec? Parse(XElement? parameters, string tenantHost, out CsomFault? fault)
    {
        fault = null;
        var parameter = parameters?.Elements(CsomRequest.Ns + "Parameter").FirstOrDefault();
        if (parameter is null || !string.Equals((string?)parameter.Attribute("TypeId"), TypeId, StringComparison.OrdinalIgnoreCase))
        {
            fault = CsomFault.Argument("Tenant.CreateSite takes one SiteCreationProperties parameter (TypeId " + TypeId + ").");
            return null;
        }

        var values = parameter.Elements(CsomRequest.Ns + "Property")
            .GroupBy(p => (string?)p.Attribute("Name") ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

        var url = Get(values, "Url");
        if (string.IsNullOrWhiteSpace(url) || !SiteUrl.IsSiteCollectionUrl(url, tenantHost) || SiteUrl.Normalize(url) == SiteUrl.Normalize("https://" + tenantHost))
        {
            fault = CsomFault.Argument($"The site URL '{url}' is not valid: use https://{tenantHost}/sites/<name> or https://{tenantHost}/teams/<name>.");
            return null;
        }

        var owner = Get(values, "Owner");
        if (string.IsNullOrWhiteSpace(owner))
        {
            fault = CsomFault.Argument("Value cannot be null.\r\nParameter name: Owner");
            return null;
        }

        if (!TryNumber(values, "Lcid", 1033, out var lcid) || !TryNumber(values, "TimeZoneId", 13, out var timeZone)
            || !TryNumber(values, "StorageMaximumLevel", 26214400, out var storageMax) || !TryNumber(values, "StorageWarningLevel", 0, out var storageWarning)
            || !TryNumber(values, "UserCodeMaximumLevel", 0, out var codeMax) || !TryNumber(values, "UserCodeWarningLevel", 0, out var codeWarning))
        {
            fault = CsomFault.Argument("Lcid, TimeZoneId, StorageMaximumLevel, StorageWarningLevel, UserCodeMaximumLevel and UserCodeWarningLevel must be numbers.");
            return null;
        }

        if (storageWarning > storageMax)
        {
            fault = CsomFault.Argument($"The storage warning level ({storageWarning}) cannot exceed the storage quota ({storageMax}).");
            return null;
        }

        if (codeWarning > codeMax)
        {
            fault = CsomFault.Argument($"The resource warning level ({codeWarning}) cannot exceed the resource quota ({codeMax}).");
            return null;
        }

        var template = Get(values, "Template");
        return new SiteCreationSpec(
            url.Trim(), Get(values, "Title") ?? string.Empty, string.IsNullOrEmpty(template) ? "STS#0" : template, owner, (int)lcid,
            TimeZoneId: (int)timeZone, StorageMaximumLevel: (long)storageMax, UserCodeMaximumLevel: codeMax);
    }

    private static string? Get(Dictionary<string, string> values, string name) => values.TryGetValue(name, out var v) ? v : null;

    private static bool TryNumber(Dictionary<string, string> values, string name, double fallback, out double value)
    {
        value = fallback;
        return !values.TryGetValue(name, out var text) || text.Length == 0
            || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
