using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using M365.Core;
using M365.Core.Services;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Models;

/// <summary>
/// One site read from a piped row: an Import-Csv line, a PSCustomObject or a hashtable, with columns (properties or keys)
/// named like Add-M365SpoSite's parameters, in any case. Empty cells are left out, so one file can mix team,
/// communication and classic sites, each row using the columns of its Type; columns that match no parameter are ignored.
/// The site's own rules (which options each type takes) are checked afterwards by <see cref="SiteCreationRequest.Validate"/>.
/// </summary>
public static class SiteRow
{
    /// <summary>Values given on the command line, used where a row leaves the cell empty.</summary>
    public sealed class Defaults
    {
        public string? Description { get; set; }

        public int? Lcid { get; set; }

        public string[]? Owners { get; set; }
    }

    /// <summary>Builds the request, or throws SiteParameterInvalid naming every cell that could not be read.</summary>
    public static SiteCreationRequest Read(object row, Defaults defaults)
    {
        var cells = new Cells(row);
        var problems = new List<string>();
        T? Convert<T>(string column, Func<object, T> convert, string expected)
            where T : struct
        {
            if (cells.Get(column) is not { } value)
            {
                return null;
            }

            try
            {
                return convert(value);
            }
            catch (Exception ex) when (ex is PSInvalidCastException || ex is FormatException || ex is OverflowException || ex is ArgumentException)
            {
                problems.Add($"the {column} cell '{value}' is not {expected}.");
                return null;
            }
        }

        static T As<T>(object value) => (T)LanguagePrimitives.ConvertTo(value, typeof(T), CultureInfo.InvariantCulture);
        bool Switch(string column) => Convert(column, v => TextSwitch.Parse(v.ToString()!), "a yes or no value (True or False, yes or no, 1 or 0)") ?? false;

        var type = Convert("Type", As<SiteType>, "a site type (TeamSite, CommunicationSite or ClassicSite)");
        var design = Convert("SiteDesign", As<SiteDesign>, "a site design (Topic, Showcase or Blank)");
        var request = new SiteCreationRequest(type is { } t ? (SpoSiteType)Enum.Parse(typeof(SpoSiteType), t.ToString()) : SpoSiteType.CommunicationSite)
        {
            Title = cells.Text("Title"),
            Alias = cells.Text("Alias"),
            Url = cells.Text("Url"),
            Description = cells.Text("Description") ?? Given(defaults.Description),
            Classification = cells.Text("Classification"),
            IsPublic = Switch("IsPublic") ? true : null,
            Lcid = Convert("Lcid", As<int>, "a whole number (an LCID such as 1033)") ?? defaults.Lcid,
            Owners = cells.List("Owners", "Owner") ?? (defaults.Owners ?? Array.Empty<string>()).Where(o => !string.IsNullOrWhiteSpace(o)).ToList(),
            SiteDesign = design is { } d ? (CommunicationSiteDesign)Enum.Parse(typeof(CommunicationSiteDesign), d.ToString()) : null,
            SiteDesignId = Convert("SiteDesignId", As<Guid>, "a GUID"),
            ShareByEmailEnabled = Switch("ShareByEmailEnabled") ? true : null,
            TimeZone = Convert("TimeZone", As<int>, "a whole number (a SharePoint time zone id such as 4)"),
            WebTemplate = cells.Text("WebTemplate"),
            ResourceQuota = Convert("ResourceQuota", As<double>, "a number"),
            ResourceQuotaWarningLevel = Convert("ResourceQuotaWarningLevel", As<double>, "a number"),
            StorageQuota = Convert("StorageQuota", As<long>, "a whole number of MB"),
            StorageQuotaWarningLevel = Convert("StorageQuotaWarningLevel", As<long>, "a whole number of MB"),
            RemoveDeletedSite = Switch("RemoveDeletedSite"),
        };

        if (type is null && !problems.Any(p => p.StartsWith("the Type cell", StringComparison.Ordinal)))
        {
            problems.Insert(0, "it has no Type: add a Type column (TeamSite, CommunicationSite or ClassicSite), or give -Type for every row.");
        }

        if (problems.Count > 0)
        {
            var name = request.Url ?? request.Alias ?? request.Title;
            throw new M365Exception(
                ServiceErrorIds.SiteParameterInvalid,
                $"The site row{(name is null ? string.Empty : $" '{name}'")} was not created: " + string.Join(" ", problems),
                "Correct the cells named above; nothing was sent to SharePoint for this row, and the other rows go on.",
                row);
        }

        return request;
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    /// <summary>A row's non-empty values by column name, case-insensitive.</summary>
    private sealed class Cells
    {
        private readonly IDictionary? _map;
        private readonly PSObject? _object;

        public Cells(object row)
        {
            var value = row is PSObject wrapped ? wrapped.BaseObject : row;
            if (value is IDictionary map)
            {
                _map = map;
            }
            else
            {
                _object = PSObject.AsPSObject(row);
            }
        }

        public object? Get(params string[] names)
        {
            foreach (var name in names)
            {
                var value = _map is not null ? FromMap(name) : _object!.Properties[name]?.Value;
                value = value is PSObject wrapped ? wrapped.BaseObject : value;
                if (value is string text)
                {
                    value = Given(text);
                }

                if (value is not null)
                {
                    return value;
                }
            }

            return null;
        }

        public string? Text(string name) => Get(name) is { } value ? Given(value.ToString()) : null;

        /// <summary>A list cell: "a@contoso.com; b@contoso.com" (or commas) from a CSV, or an array.</summary>
        public List<string>? List(params string[] names)
        {
            var items = Get(names) switch
            {
                null => null,
                string text => text.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries),
                IEnumerable many => many.Cast<object?>().Select(o => o?.ToString()),
                var one => new[] { one.ToString() },
            };
            var list = items?.Select(Given).Where(o => o is not null).Select(o => o!).ToList();
            return list is { Count: > 0 } ? list : null;
        }

        private object? FromMap(string name)
        {
            foreach (DictionaryEntry entry in _map!)
            {
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }
}
