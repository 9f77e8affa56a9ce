using System.Text.Json;
using M365.Sandbox.Identity;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// Validates the body of <c>POST /_api/SPSiteManager/Create</c> ({"request":{Title, Url, …}}) as SharePoint does and
/// turns it into a creation spec.
/// </summary>
internal static class CommunicationSiteRequest
{
    public const string DefaultTemplate = "SITEPAGEPUBLISHING#0";

    private static readonly string[] KnownProperties =
    {
        "Title", "Url", "Description", "Classification", "WebTemplate", "SiteDesignId", "Lcid", "Owner",
        "ShareByEmailEnabled", "HubSiteId", "SensitivityLabel", "WebTemplateExtensionId", "TimeZoneId",
    };

    private static readonly string[] Templates = { DefaultTemplate, "STS#3" };

    /// <summary>Returns the spec, or null with the SharePoint error code and message for a 400.</summary>
    public static SiteCreationSpec? Parse(JsonElement root, string tenantHost, ValidatedToken caller, out string? errorCode, out string? errorMessage)
    {
        errorCode = SharePointError.ArgumentException;
        errorMessage = null;
        if (!JsonBody.TryGet(root, "request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            errorCode = SharePointError.InvalidClientQuery;
            errorMessage = "The parameter 'request' is missing: send {\"request\":{\"Title\":…,\"Url\":…}}.";
            return null;
        }

        foreach (var property in request.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errorCode = SharePointError.InvalidClientQuery;
                errorMessage = $"The property '{property.Name}' does not exist on type 'Microsoft.SharePoint.Portal.SPSiteCreationRequest'. Make sure to only use property names that are defined by the type.";
                return null;
            }
        }

        var url = String(request, "Url");
        if (string.IsNullOrWhiteSpace(url))
        {
            errorMessage = "Value cannot be null.\r\nParameter name: Url";
            return null;
        }

        if (!SiteUrl.IsSiteCollectionUrl(url, tenantHost) || SiteUrl.Normalize(url) == SiteUrl.Normalize("https://" + tenantHost))
        {
            errorMessage = $"The URL '{url}' is not a valid site URL: use https://{tenantHost}/sites/<name> or https://{tenantHost}/teams/<name>.";
            return null;
        }

        var title = String(request, "Title");
        if (string.IsNullOrWhiteSpace(title))
        {
            errorMessage = "Value cannot be null.\r\nParameter name: Title";
            return null;
        }

        var template = String(request, "WebTemplate");
        template = string.IsNullOrEmpty(template) ? DefaultTemplate : template;
        if (!Templates.Contains(template, StringComparer.OrdinalIgnoreCase))
        {
            errorMessage = $"The web template '{template}' is not supported: use {string.Join(" or ", Templates)}.";
            return null;
        }

        var siteDesign = String(request, "SiteDesignId");
        if (!string.IsNullOrEmpty(siteDesign) && !Guid.TryParse(siteDesign, out _))
        {
            errorMessage = $"The SiteDesignId '{siteDesign}' is not a valid GUID.";
            return null;
        }

        var lcid = 1033;
        if (JsonBody.TryGet(request, "Lcid", out var lcidElement) && lcidElement.ValueKind != JsonValueKind.Null
            && !(lcidElement.ValueKind == JsonValueKind.Number && lcidElement.TryGetInt32(out lcid) && lcid > 0)
            && !(lcidElement.ValueKind == JsonValueKind.String && int.TryParse(lcidElement.GetString(), out lcid) && lcid > 0))
        {
            errorMessage = $"The Lcid '{lcidElement}' is not a valid language id.";
            return null;
        }

        if (JsonBody.TryGet(request, "ShareByEmailEnabled", out var share) && share.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            errorMessage = "ShareByEmailEnabled must be true or false.";
            return null;
        }

        var owner = String(request, "Owner");
        if (string.IsNullOrWhiteSpace(owner))
        {
            if (caller.IsAppOnly)
            {
                errorMessage = "Value cannot be null.\r\nParameter name: Owner (an app-only caller must name the site owner)";
                return null;
            }

            owner = caller.Upn ?? string.Empty;
        }

        var label = String(request, "SensitivityLabel");
        if (!string.IsNullOrEmpty(label) && !Guid.TryParse(label, out _))
        {
            errorMessage = $"The SensitivityLabel '{label}' is not a label id (a GUID).";
            return null;
        }

        return new SiteCreationSpec(url.Trim(), title, template.ToUpperInvariant(), owner, lcid, String(request, "Description") ?? string.Empty,
            SensitivityLabel: string.IsNullOrEmpty(label) ? null : Guid.Parse(label));
    }

    private static string? String(JsonElement obj, string name) =>
        JsonBody.TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
