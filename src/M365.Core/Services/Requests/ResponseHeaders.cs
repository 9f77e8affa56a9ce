using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace M365.Core.Services.Requests
{
    /// <summary>An answer's headers as Invoke-RestMethod's -ResponseHeadersVariable holds them: message and content headers, names ignoring case.</summary>
    public static class ResponseHeaders
    {
        /// <summary>The answer's message and content headers, each name once (ignoring case) with all its values.</summary>
        /// <param name="response">The answer.</param>
        public static IReadOnlyDictionary<string, string[]> Of(HttpResponseMessage response) =>
            response.Headers.Concat(response.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.SelectMany(h => h.Value).ToArray(), StringComparer.OrdinalIgnoreCase);
    }
}
