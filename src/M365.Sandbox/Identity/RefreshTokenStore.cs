using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

public enum RefreshTokenProblem
{
    None,
    Unknown,
    WrongClient,
    Expired,
    Revoked,
}

/// <summary>One refresh token's grant (the token itself is kept only as a hash).</summary>
public sealed record RefreshGrant(Guid UserId, Guid ClientId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Opaque refresh tokens. Each redemption issues a new one; like Entra ID, the old one stays valid until it
/// expires or the user's sessions are revoked.
/// </summary>
public sealed class RefreshTokenStore
{
    private readonly ConcurrentDictionary<string, RefreshGrant> _grants = new(StringComparer.Ordinal);
    private readonly TenantDirectory _directory;
    private readonly TokenLifetimes _lifetimes;
    private readonly TimeProvider _time;

    public RefreshTokenStore(TenantDirectory directory, TokenLifetimes lifetimes, TimeProvider time)
    {
        _directory = directory;
        _lifetimes = lifetimes;
        _time = time;
    }

    public string Issue(SeededUser user, SeededApp app)
    {
        var token = "1.AQ" + Base64Url.Encode(RandomNumberGenerator.GetBytes(64));
        var now = _time.GetUtcNow();
        _grants[Hash(token)] = new RefreshGrant(user.Id, app.AppId, now, now.Add(_lifetimes.RefreshToken));
        return token;
    }

    public RefreshTokenProblem Check(string token, Guid clientId, out RefreshGrant? grant)
    {
        if (!_grants.TryGetValue(Hash(token), out grant))
        {
            return RefreshTokenProblem.Unknown;
        }

        if (grant.ClientId != clientId)
        {
            return RefreshTokenProblem.WrongClient;
        }

        if (_directory.TokensValidFrom(grant.UserId) is { } validFrom && grant.IssuedAt <= validFrom)
        {
            return RefreshTokenProblem.Revoked;
        }

        return _time.GetUtcNow() >= grant.ExpiresAt ? RefreshTokenProblem.Expired : RefreshTokenProblem.None;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
