using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace M365.Sandbox.Identity;

/// <summary>
/// The SHA-256 of every access token the managed-identity endpoints issued, with the identity and audience it was issued
/// to, so a <c>token_sha256_to_refresh</c> (lowercase hex SHA-256 of the token's UTF-8 text, as MSAL.NET computes it) can
/// be checked against what the sandbox really issued. Holds hashes only, never tokens; bounded; thread-safe.
/// </summary>
public sealed class ManagedIdentityTokenLedger
{
    /// <summary>The most hashes kept; past it the ledger starts over (a test never holds that many live tokens).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (Guid ClientId, string Audience)> _issued = new(StringComparer.Ordinal);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Record(string token, Guid clientId, string audience)
    {
        if (_issued.Count >= Capacity)
        {
            _issued.Clear();
        }

        _issued[Hash(token)] = (clientId, CaeChallenges.NormalizeAudience(audience));
    }

    /// <summary>True when <paramref name="sha256Hex"/> (any case) is the hash of a token issued to <paramref name="clientId"/> for <paramref name="audience"/>.</summary>
    public bool WasIssued(string? sha256Hex, Guid clientId, string audience) =>
        !string.IsNullOrEmpty(sha256Hex)
        && sha256Hex.Length == 64
        && _issued.TryGetValue(sha256Hex.ToLowerInvariant(), out var issued)
        && issued.ClientId == clientId
        && issued.Audience == CaeChallenges.NormalizeAudience(audience);
}
