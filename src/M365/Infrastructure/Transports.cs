using System;
using System.Collections.Concurrent;
using M365.Core.Http;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// The HTTP transports of this process: one for the Microsoft cloud, one per sandbox tenant (by URL and pin).
/// Shared deliberately, as HttpClient is meant to be; they hold no per-user state.
/// </summary>
internal static class Transports
{
    private static readonly Lazy<HttpTransport> Production = new(HttpTransport.CreateDefault);
    private static readonly ConcurrentDictionary<string, HttpTransport> Sandboxes = new(StringComparer.OrdinalIgnoreCase);

    public static HttpTransport Default => Production.Value;

    public static HttpTransport ForSandbox(SandboxDescriptor sandbox) =>
        Sandboxes.GetOrAdd(sandbox.Url + "|" + sandbox.CertificateSha256, _ => HttpTransport.CreateForSandbox(sandbox));
}
