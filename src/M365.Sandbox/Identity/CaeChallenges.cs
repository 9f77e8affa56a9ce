using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace M365.Sandbox.Identity;

/// <summary>
/// One Continuous Access Evaluation event the control API raised: tokens of the matching user, app and resource that were
/// issued before it (or without its claims) are answered 401 with <c>error="insufficient_claims"</c>.
/// </summary>
/// <param name="Nbf">Unix seconds of the event: the <c>nbf</c> value of the claims request.</param>
/// <param name="Sticky">True when no token satisfies it, even one issued with its claims (a policy the client cannot meet silently).</param>
public sealed record CaeChallenge(string Id, Guid? UserId, Guid? AppId, string? Audience, long Nbf, bool Sticky)
{
    /// <summary>The claims request as Graph sends it: <c>{"access_token":{"nbf":{"essential":true,"value":"…"}}}</c>.</summary>
    public string ClaimsJson => "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"" + Nbf.ToString(CultureInfo.InvariantCulture) + "\"}}}";

    /// <summary>base64 of <see cref="ClaimsJson"/>, the WWW-Authenticate <c>claims</c> value.</summary>
    public string ClaimsBase64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(ClaimsJson));

    internal bool Matches(string objectId, string appId, string audience) =>
        (UserId is null || string.Equals(UserId.Value.ToString(), objectId, StringComparison.OrdinalIgnoreCase))
        && (AppId is null || string.Equals(AppId.Value.ToString(), appId, StringComparison.OrdinalIgnoreCase))
        && (Audience is null || string.Equals(Audience, CaeChallenges.NormalizeAudience(audience), StringComparison.OrdinalIgnoreCase));
}

/// <summary>What a token request earns under the active challenges.</summary>
/// <param name="Capable">The client declared the <c>cp1</c> capability (xms_cc) in its claims parameter.</param>
/// <param name="Acknowledged">The highest challenge nbf the new token satisfies (0 for none): it goes into the token.</param>
/// <param name="AnsweredChallenge">The request carried the claims of an active challenge.</param>
public sealed record CaeGrant(bool Capable, long Acknowledged, bool AnsweredChallenge);

/// <summary>
/// The sandbox's Continuous Access Evaluation: challenges raised per user, app or resource, and the token endpoint's side of
/// them. A token request that carries a challenge's claims (<c>access_token.nbf.value</c> at least the event's, with
/// <c>xms_cc</c> containing <c>cp1</c>) gets a token that satisfies it, and marks the challenge answered for that
/// principal, app and resource, so its later plain refreshes satisfy it too; a request without the claims keeps getting
/// tokens that are rejected. Thread-safe.
/// </summary>
public sealed class CaeChallenges
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CaeChallenge> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Id, string ObjectId, string AppId, string Audience), bool> _answered = new();
    private int _next;
    private long _lastNbf;

    public CaeChallenges(TimeProvider time) => _time = time;

    public CaeChallenge Add(Guid? userId, Guid? appId, string? audience, bool sticky)
    {
        var id = "cae-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        // Unique and increasing even within one second, so a token that satisfied an earlier challenge never satisfies a later one.
        long nbf;
        lock (_active)
        {
            nbf = _lastNbf = Math.Max(_time.GetUtcNow().ToUnixTimeSeconds(), _lastNbf + 1);
        }

        var challenge = new CaeChallenge(id, userId, appId, audience is null ? null : NormalizeAudience(audience), nbf, sticky);
        _active[id] = challenge;
        return challenge;
    }

    public IReadOnlyList<CaeChallenge> List() => _active.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    public void Clear()
    {
        _active.Clear();
        _answered.Clear();
    }

    /// <summary>The challenge that rejects <paramref name="token"/>, or null.</summary>
    public CaeChallenge? Rejecting(ValidatedToken token)
    {
        foreach (var challenge in _active.Values)
        {
            if (challenge.Matches(token.ObjectId, token.AppId, token.Audience) && (challenge.Sticky || token.CaeAcknowledged < challenge.Nbf))
            {
                return challenge;
            }
        }

        return null;
    }

    /// <summary>Reads the token request's <c>claims</c> parameter and says what the new token satisfies.</summary>
    public CaeGrant ForTokenRequest(string? claimsParameter, string objectId, string appId, string audience)
    {
        var (capable, nbf) = ReadClaims(claimsParameter);
        return Grant(capable, nbf, objectId, appId, audience);
    }

    /// <summary>
    /// A managed-identity token request: MSAL sends no claims there, only <c>xms_cc</c> (<paramref name="capable"/>) and,
    /// when it retries after a claims challenge, <c>token_sha256_to_refresh</c>. <paramref name="refreshesIssuedToken"/>
    /// says that hash named a token the sandbox issued to this identity for this resource: with cp1, such a request is a
    /// CAE refresh and answers every active challenge that matches; anything else answers none.
    /// </summary>
    public CaeGrant ForManagedIdentityRequest(bool capable, bool refreshesIssuedToken, string objectId, string appId, string audience) =>
        Grant(capable, refreshesIssuedToken ? long.MaxValue : 0, objectId, appId, audience);

    private CaeGrant Grant(bool capable, long nbf, string objectId, string appId, string audience)
    {
        long acknowledged = 0;
        var answered = false;
        foreach (var challenge in _active.Values)
        {
            if (!challenge.Matches(objectId, appId, audience))
            {
                continue;
            }

            var key = (challenge.Id, objectId.ToLowerInvariant(), appId.ToLowerInvariant(), NormalizeAudience(audience));
            if (capable && nbf >= challenge.Nbf)
            {
                _answered[key] = true;
                answered = true;
            }

            if (_answered.ContainsKey(key))
            {
                acknowledged = Math.Max(acknowledged, challenge.Nbf);
            }
        }

        return new CaeGrant(capable, acknowledged, answered);
    }

    internal static string NormalizeAudience(string audience) => audience.Trim().TrimEnd('/').ToLowerInvariant();

    /// <summary>(xms_cc has cp1, access_token.nbf.value) from the claims parameter; anything unreadable counts as absent.</summary>
    private static (bool Capable, long Nbf) ReadClaims(string? claims)
    {
        if (string.IsNullOrWhiteSpace(claims))
        {
            return (false, 0);
        }

        try
        {
            using var document = JsonDocument.Parse(claims);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("access_token", out var accessToken) || accessToken.ValueKind != JsonValueKind.Object)
            {
                return (false, 0);
            }

            var capable = accessToken.TryGetProperty("xms_cc", out var cc) && cc.ValueKind == JsonValueKind.Object
                && cc.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
                && values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == "cp1");
            long nbf = 0;
            if (accessToken.TryGetProperty("nbf", out var nbfClaim) && nbfClaim.ValueKind == JsonValueKind.Object && nbfClaim.TryGetProperty("value", out var value))
            {
                _ = value.ValueKind switch
                {
                    JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out nbf),
                    JsonValueKind.Number => value.TryGetInt64(out nbf),
                    _ => false,
                };
            }

            return (capable, nbf);
        }
        catch (JsonException)
        {
            return (false, 0);
        }
    }
}
