using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Models;

/// <summary>
/// How the service cmdlets hand Core's objects to PowerShell: the Core models themselves, tagged with the type names the
/// format views select (<c>M365.ServicePrincipal</c>, <c>M365.SpoSite</c>), and service JSON as PSCustomObjects.
/// </summary>
public static class ServiceObjects
{
    public const string ServicePrincipalTypeName = "M365.ServicePrincipal";
    public const string SpoSiteTypeName = "M365.SpoSite";

    /// <summary>A service principal as <c>M365.ServicePrincipal</c>: a type of that name, no per-object type name (see <see cref="M365.ServicePrincipal"/>).</summary>
    [MethodImpl(HotPath.Optimized)]
    public static M365.Core.Services.Graph.ServicePrincipal Tagged(M365.Core.Services.Graph.ServicePrincipal servicePrincipal) =>
        servicePrincipal as M365.ServicePrincipal ?? new M365.ServicePrincipal(servicePrincipal);

    /// <summary>A site as <c>M365.SpoSite</c>: its <see cref="M365SpoSite"/> view (names for enums, no request inside).</summary>
    public static PSObject Tagged(SpoSite site) => DefaultDisplay.Site(Tag(new M365SpoSite(site), SpoSiteTypeName));

    /// <summary>
    /// A value parsed from JSON (<see cref="M365.Core.Services.JsonValues.ToObject"/>) as PowerShell shows JSON:
    /// objects become PSCustomObjects with their properties in order, arrays object arrays, the rest stays as it is.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static object? FromJson(object? value)
    {
        switch (value)
        {
            case IDictionary<string, object?> map:
                var result = new PSObject();
                foreach (var pair in map)
                {
                    result.Properties.Add(new PSNoteProperty(pair.Key, FromJson(pair.Value)));
                }

                return result;
            case object?[] items:
                return items.Select(FromJson).ToArray();
            default:
                return value;
        }
    }

    /// <summary>
    /// A request body given in PowerShell (hashtable, PSCustomObject, array, scalar) as plain .NET values that serialize to the
    /// JSON a person expects: properties as names, not as PowerShell's adapter sees them.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// It nests deeper than <paramref name="maxDepth"/> (a cycle, or an object that is not data), holds a stream (whose
    /// bytes are not JSON; read them into a string first), or a property that throws when read.
    /// </exception>
    public static object? ToPlain(object? value, int maxDepth = 32)
    {
        if (maxDepth < 0)
        {
            throw new ArgumentException("it nests more than 32 levels deep, and may refer to itself.");
        }

        var baseObject = value is PSObject ps ? ps.BaseObject : value;
        switch (baseObject)
        {
            case null:
                return null;
            case string or bool or char or Guid or decimal or double or float:
                return baseObject is char or Guid ? baseObject.ToString() : baseObject;
            case DateTime or DateTimeOffset:
                return baseObject;
            case System.IO.Stream stream:
                throw new ArgumentException($"it holds a stream ({stream.GetType().FullName}), whose bytes are not JSON.");
            case Enum e:
                return e.ToString();
            case IConvertible when baseObject.GetType().IsPrimitive:
                return baseObject;
            case IDictionary dictionary:
                var map = new Dictionary<string, object?>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    map[entry.Key?.ToString() ?? string.Empty] = ToPlain(entry.Value, maxDepth - 1);
                }

                return map;
            case PSCustomObject:
                var properties = new Dictionary<string, object?>();
                foreach (var property in ((PSObject)value!).Properties)
                {
                    properties[property.Name] = ToPlain(property.Value, maxDepth - 1);
                }

                return properties;
            case IEnumerable items:
                return items.Cast<object?>().Select(i => ToPlain(i, maxDepth - 1)).ToArray();
            default:
                var adapted = PSObject.AsPSObject(baseObject);
                var fields = new Dictionary<string, object?>();
                foreach (var property in adapted.Properties.Where(p => p.IsGettable))
                {
                    object? propertyValue;
                    try
                    {
                        propertyValue = property.Value;
                    }
                    catch (GetValueException ex)
                    {
                        throw new ArgumentException($"its property {property.Name} ({baseObject.GetType().FullName}) cannot be read: {ex.InnerException?.Message ?? ex.Message}", ex);
                    }

                    fields[property.Name] = ToPlain(propertyValue, maxDepth - 1);
                }

                return fields;
        }
    }

    private static PSObject Tag(object value, string typeName)
    {
        var wrapped = PSObject.AsPSObject(value);
        wrapped.TypeNames.Insert(0, typeName);
        return wrapped;
    }
}
