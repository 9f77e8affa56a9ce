using System.Security.Cryptography;

namespace M365.Sandbox.Graph.Batch;

/// <summary>
/// Marks the inner requests a <c>$batch</c> replays through the sandbox, so the request log and fault rules can tell them
/// from direct calls. The marker is a per-process secret, so no client can pass its own request off as a batch item.
/// </summary>
public sealed class BatchItemMarker
{
    public const string HeaderName = "X-M365-Sandbox-Batch-Item";

    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The header value for an inner request of the batch <paramref name="batchId"/>.</summary>
    internal string ValueFor(string batchId) => _secret + ":" + batchId;

    /// <summary>The id of the batch this request belongs to, or null for a direct call.</summary>
    public string? BatchIdOf(HttpRequest request)
    {
        var value = request.Headers[HeaderName].ToString();
        return value.Length > _secret.Length + 1 && value.StartsWith(_secret + ":", StringComparison.Ordinal) ? value[(_secret.Length + 1)..] : null;
    }
}
