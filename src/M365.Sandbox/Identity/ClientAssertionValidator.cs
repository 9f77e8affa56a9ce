using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// Verifies a certificate client assertion: the x5t / x5t#S256 header names a certificate registered on the app,
/// its key verifies the RS256/PS256 signature, aud is the token endpoint, iss = sub = client id, and it is in date.
/// </summary>
public sealed class ClientAssertionValidator
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly TenantDirectory _directory;
    private readonly TimeProvider _time;

    public ClientAssertionValidator(TenantDirectory directory, TimeProvider time)
    {
        _directory = directory;
        _time = time;
    }

    /// <summary>Returns null when valid, else why not (without the assertion's content).</summary>
    public string? Validate(string assertion, SeededApp app, string requestTenant)
    {
        var jwt = JsonWebToken.TryParse(assertion);
        if (jwt is null)
        {
            return "Client assertion is not a valid JWT.";
        }

        var certificate = FindCertificate(jwt, app);
        if (certificate is null)
        {
            return $"Client assertion contains an invalid signature. The key was not found. [Reason - The key used is not registered on application '{app.AppId}'.]";
        }

        using (var key = certificate.GetRSAPublicKey())
        {
            if (key is null || !jwt.VerifySignature(key))
            {
                return "Client assertion failed signature validation.";
            }
        }

        var audiences = TenantPath.TokenEndpointAudiences(requestTenant, _directory);
        if (!audiences.Contains(jwt.GetString("aud") ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return "Client assertion audience claim does not match Realm issuer.";
        }

        var clientId = app.AppId.ToString();
        if (!string.Equals(jwt.GetString("iss"), clientId, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(jwt.GetString("sub"), clientId, StringComparison.OrdinalIgnoreCase))
        {
            return "The client assertion's iss and sub must be the client id.";
        }

        var now = _time.GetUtcNow();
        if (jwt.GetNumber("exp") is not { } exp || DateTimeOffset.FromUnixTimeSeconds(exp) + Skew < now)
        {
            return "Client assertion is not within its valid time range. The assertion has expired.";
        }

        if (jwt.GetNumber("nbf") is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) - Skew > now)
        {
            return "Client assertion is not within its valid time range. The assertion is not yet valid.";
        }

        return null;
    }

    private X509Certificate2? FindCertificate(JsonWebToken jwt, SeededApp app)
    {
        var sha1 = jwt.GetHeaderString("x5t");
        var sha256 = jwt.GetHeaderString("x5t#S256");
        return _directory.CertificatesOf(app.AppId).FirstOrDefault(c =>
            (sha256 is not null && Base64Url.Encode(SHA256.HashData(c.RawData)) == sha256) ||
            (sha1 is not null && Base64Url.Encode(SHA1.HashData(c.RawData)) == sha1));
    }
}
