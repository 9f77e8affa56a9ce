using System.Text.Json.Nodes;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Checks a bearer token the way a Microsoft resource does: signature by the tenant key, issuer, expiry, audience.</summary>
public sealed class AccessTokenValidator
{
    private readonly SandboxSigningKey _key;
    private readonly TenantDirectory _directory;
    private readonly TimeProvider _time;

    public AccessTokenValidator(SandboxSigningKey key, TenantDirectory directory, TimeProvider time)
    {
        _key = key;
        _directory = directory;
        _time = time;
    }

    /// <summary>Returns the token, or null with a description of what is wrong (never containing the token).</summary>
    public ValidatedToken? Validate(string? token, string expectedAudience, out string error)
    {
        error = string.Empty;
        if (string.IsNullOrEmpty(token))
        {
            error = "Access token is empty.";
            return null;
        }

        var jwt = JsonWebToken.TryParse(token);
        if (jwt is null)
        {
            error = "IDX14100: JWT is not well formed.";
            return null;
        }

        if (jwt.Algorithm != "RS256" || jwt.GetHeaderString("kid") != _key.KeyId || !jwt.VerifySignature(_key.Rsa))
        {
            error = "Invalid signature.";
            return null;
        }

        if (jwt.GetString("iss") != $"https://sts.windows.net/{_directory.TenantId}/" || !Guid.TryParse(jwt.GetString("tid"), out var tenantId))
        {
            error = "Invalid issuer.";
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (jwt.GetNumber("exp") is not { } exp || exp <= now)
        {
            error = "Lifetime validation failed. The token is expired.";
            return null;
        }

        if (jwt.GetNumber("nbf") is { } nbf && nbf > now + 300)
        {
            error = "Lifetime validation failed. The token is not yet valid.";
            return null;
        }

        var audience = jwt.GetString("aud") ?? string.Empty;
        if (!string.Equals(audience, expectedAudience, StringComparison.OrdinalIgnoreCase))
        {
            error = "Invalid audience.";
            return null;
        }

        var roles = jwt.Payload["roles"] is JsonArray array
            ? array.Select(r => r?.GetValue<string>() ?? string.Empty).Where(r => r.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var scopes = (jwt.GetString("scp") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ValidatedToken(
            audience,
            tenantId,
            jwt.GetString("oid") ?? string.Empty,
            jwt.GetString("upn"),
            jwt.GetString("appid") ?? string.Empty,
            jwt.GetString("app_displayname"),
            jwt.GetString("idtyp") ?? (scopes.Count > 0 ? "user" : "app"),
            scopes,
            roles,
            DateTimeOffset.FromUnixTimeSeconds(exp))
        {
            CaeCapable = jwt.Payload["xms_cc"] is JsonArray capabilities && capabilities.Any(c => c is JsonValue v && v.TryGetValue(out string? s) && s == "cp1"),
            CaeAcknowledged = jwt.GetNumber(TokenIssuer.CaeAcknowledgedClaim) ?? 0,
        };
    }
}
