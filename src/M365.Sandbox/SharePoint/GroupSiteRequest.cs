using System.Text.Json;

namespace M365.Sandbox.SharePoint;

/// <summary>The validated body of <c>POST /_api/GroupSiteManager/CreateGroupEx</c>.</summary>
internal sealed record GroupSiteRequest(string DisplayName, string Alias, bool IsPublic, string Description, string Classification, int Lcid, IReadOnlyList<string> Owners)
{
    private const int MaxAliasLength = 64;

    public Guid? SensitivityLabel { get; init; }

    public string? PreferredDataLocation { get; init; }

    /// <summary>Returns the request, or null with the message of a 400 ArgumentException.</summary>
    public static GroupSiteRequest? Parse(JsonElement root, string callerUpn, out string? error)
    {
        error = null;
        var displayName = String(root, "displayName");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            error = "Value cannot be null.\r\nParameter name: displayName";
            return null;
        }

        var alias = String(root, "alias");
        if (string.IsNullOrWhiteSpace(alias))
        {
            error = "Value cannot be null.\r\nParameter name: alias";
            return null;
        }

        if (alias.Length > MaxAliasLength || !alias.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || alias.StartsWith('.') || alias.EndsWith('.'))
        {
            error = $"The alias '{alias}' is not valid: use up to {MaxAliasLength} letters, digits, '-', '_' or '.'.";
            return null;
        }

        var isPublic = JsonBody.TryGet(root, "isPublic", out var publicElement) && publicElement.ValueKind == JsonValueKind.True;
        var description = string.Empty;
        var classification = string.Empty;
        var lcid = 1033;
        var owners = new List<string>();
        Guid? label = null;
        string? location = null;
        if (JsonBody.TryGet(root, "optionalParams", out var optional) && optional.ValueKind == JsonValueKind.Object)
        {
            description = String(optional, "Description") ?? string.Empty;
            if (JsonBody.TryGet(optional, "CreationOptions", out var creation) && creation.ValueKind == JsonValueKind.Object)
            {
                classification = String(creation, "Classification") ?? string.Empty;
                foreach (var option in Results(creation))
                {
                    if (option.StartsWith("SPSiteLanguage:", StringComparison.OrdinalIgnoreCase)
                        && !int.TryParse(option["SPSiteLanguage:".Length..], out lcid))
                    {
                        error = $"The creation option '{option}' is not valid: SPSiteLanguage takes a numeric LCID.";
                        return null;
                    }

                    if (option.StartsWith("SensitivityLabel:", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!Guid.TryParse(option["SensitivityLabel:".Length..], out var id))
                        {
                            error = $"The creation option '{option}' is not valid: SensitivityLabel takes a label id (a GUID).";
                            return null;
                        }

                        label = id;
                    }
                }
            }

            location = String(optional, "PreferredDataLocation");
            if (!string.IsNullOrEmpty(location) && !GeoLocations.IsKnown(location))
            {
                error = $"The PreferredDataLocation '{location}' is not a multi-geo location of this tenant.";
                return null;
            }

            if (JsonBody.TryGet(optional, "Owners", out var ownerElement) && ownerElement.ValueKind == JsonValueKind.Object)
            {
                owners.AddRange(Results(ownerElement).Where(o => o.Length > 0));
            }
        }

        if (owners.Count == 0 && callerUpn.Length > 0)
        {
            owners.Add(callerUpn);
        }

        return new GroupSiteRequest(displayName, alias, isPublic, description, classification, lcid, owners)
        {
            SensitivityLabel = label,
            PreferredDataLocation = string.IsNullOrEmpty(location) ? null : location.ToUpperInvariant(),
        };
    }

    private static IEnumerable<string> Results(JsonElement obj) =>
        JsonBody.TryGet(obj, "results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!.Trim()).ToArray()
            : Array.Empty<string>();

    private static string? String(JsonElement obj, string name) =>
        JsonBody.TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
