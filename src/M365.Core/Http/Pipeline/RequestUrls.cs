using System;

namespace M365.Core.Http
{
    /// <summary>Request URLs as the module shows them (-WhatIf, -Verbose, errors): whole, with only secrets in the query masked.</summary>
    public static class RequestUrls
    {
        /// <summary>The URL with user info dropped and the values of secret-bearing query parameters masked (see <see cref="RequestUrlRedactor"/>).</summary>
        /// <param name="url">An absolute URL.</param>
        public static string Shown(Uri url) => RequestUrlRedactor.Redact(url ?? throw new ArgumentNullException(nameof(url)));
    }
}
