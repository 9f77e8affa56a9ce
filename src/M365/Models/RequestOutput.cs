using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;

namespace M365.PowerShell.Models;

/// <summary>The other shapes Invoke-M365Request gives an answer in (the default, PSCustomObjects, is <see cref="ServiceObjects.FromJson"/>).</summary>
public static class RequestOutput
{
    /// <summary>
    /// A value parsed from JSON as <c>-OutputType Hashtable</c>: each object an <see cref="OrderedDictionary"/> that keeps the
    /// service's property order and compares keys ignoring case, as <c>[ordered]@{}</c> does (a later key that differs from an
    /// earlier one only in case replaces it, as in any PowerShell hashtable); arrays become object arrays.
    /// </summary>
    public static object? ToHashtable(object? value)
    {
        switch (value)
        {
            case IDictionary<string, object?> map:
                var result = new OrderedDictionary(map.Count, StringComparer.OrdinalIgnoreCase);
                foreach (var pair in map)
                {
                    result[pair.Key] = ToHashtable(pair.Value);
                }

                return result;
            case object?[] items:
                return items.Select(ToHashtable).ToArray();
            default:
                return value;
        }
    }

    /// <summary>
    /// The answer's headers as Invoke-RestMethod's -ResponseHeadersVariable holds them: a
    /// <c>Dictionary[string, IEnumerable[string]]</c> ignoring case, each value a string array. Only the answer's headers:
    /// the request's (its Authorization header) are never among them.
    /// </summary>
    public static Dictionary<string, IEnumerable<string>> Headers(System.Net.Http.HttpResponseMessage response) =>
        Headers(M365.Core.Services.Requests.ResponseHeaders.Of(response));

    /// <inheritdoc cref="Headers(System.Net.Http.HttpResponseMessage)"/>
    public static Dictionary<string, IEnumerable<string>> Headers(IReadOnlyDictionary<string, string[]> headers) =>
        headers.ToDictionary(h => h.Key, h => (IEnumerable<string>)h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
}
