using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Federation;

namespace M365.Sandbox.Identity;

/// <summary>
/// Checks a client assertion that is a federated token (its iss is not the client id) as Entra ID does: the app must have
/// a federatedIdentityCredential whose issuer, subject and one audience equal the token's exactly (case-sensitive); the
/// signature must verify with the issuer's JWKS key; the token must be in date and live no longer than 1.01:00:00.
/// Each failure carries Entra ID's AADSTS code and description format.
/// </summary>
public sealed class FederatedAssertionValidator
{
    /// <summary>The longest lifetime (exp − iat) Entra ID accepts of an external OIDC token.</summary>
    public static readonly TimeSpan MaxLifetime = new(1, 1, 0, 0);

    private const string Guidance = "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

    private readonly ApplicationStore _applications;
    private readonly FederatedIdentityCredentialStore _credentials;
    private readonly FederationSources _sources;
    private readonly TimeProvider _time;

    public FederatedAssertionValidator(ApplicationStore applications, FederatedIdentityCredentialStore credentials, FederationSources sources, TimeProvider time)
    {
        _applications = applications;
        _credentials = credentials;
        _sources = sources;
        _time = time;
    }

    /// <summary>An app's own certificate assertion names the client id as iss; anything else is a federated token.</summary>
    internal static bool IsFederated(JsonWebToken jwt, SeededApp app) =>
        !string.Equals(jwt.GetString("iss"), app.AppId.ToString(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the assertion authenticates the app, else the failure to answer with.</summary>
    internal AssertionFailure? Validate(JsonWebToken jwt, SeededApp app)
    {
        var registration = _applications.FindByAppId(app.AppId);
        var credentials = registration is null ? Array.Empty<FederatedIdentityCredential>() : _credentials.List(registration.Id);
        if (credentials.Count == 0)
        {
            return AssertionFailure.InvalidClient(70025, $"The client '{app.AppId}'({app.DisplayName}) has no configured federated identity credentials.");
        }

        var issuer = jwt.GetString("iss") ?? string.Empty;
        var subject = jwt.GetString("sub") ?? string.Empty;
        var audiences = Audiences(jwt.Payload["aud"]);
        var match = credentials.FirstOrDefault(c => c.Issuer == issuer && c.Subject == subject && c.Audiences.Any(audiences.Contains));
        return match is null
            ? Mismatch(credentials, issuer, subject, audiences)
            : CheckSignature(jwt, issuer) ?? CheckTime(jwt);
    }

    private static AssertionFailure Mismatch(IReadOnlyList<FederatedIdentityCredential> credentials, string issuer, string subject, IReadOnlyList<string> audiences)
    {
        var byIssuer = credentials.Where(c => c.Issuer == issuer).ToArray();
        if (byIssuer.Length == 0)
        {
            return credentials.Any(c => IgnoreCase(c.Issuer, issuer))
                ? CaseOnly("issuer", issuer)
                : AssertionFailure.InvalidClient(700211, $"No matching federated identity record found for presented assertion issuer '{issuer}'. {Guidance}");
        }

        var bySubject = byIssuer.Where(c => c.Subject == subject).ToArray();
        if (bySubject.Length == 0)
        {
            if (byIssuer.Any(c => IgnoreCase(c.Subject, subject)))
            {
                return CaseOnly("subject", subject);
            }

            return byIssuer.Any(c => c.Audiences.Any(audiences.Contains))
                ? AssertionFailure.InvalidClient(700213, $"No matching federated identity record found for presented assertion subject '{subject}'. {Guidance}")
                : AssertionFailure.InvalidRequest(70021,
                    $"No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{string.Join(",", audiences)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
        }

        return bySubject.Any(c => c.Audiences.Any(a => audiences.Any(x => IgnoreCase(a, x))))
            ? CaseOnly("audience", string.Join(",", audiences))
            : AssertionFailure.InvalidClient(700212, $"No matching federated identity record found for presented assertion audience '{string.Join(",", audiences)}'. {Guidance}");
    }

    private static AssertionFailure CaseOnly(string claim, string value) => AssertionFailure.InvalidClient(7002138,
        $"No matching federated identity record found for presented assertion {claim} '{value}'. The {claim} matches with case-insensitive comparison, but not with case-sensitive comparison. " +
        "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: https://learn.microsoft.com/entra/workload-id/workload-identity-federation. " +
        "See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.");

    // Entra ID reads the issuer's discovery document and JWKS; the sandbox's issuers are its own token services.
    private AssertionFailure? CheckSignature(JsonWebToken jwt, string issuer)
    {
        if (_sources.ForIssuer(issuer) is not { } source)
        {
            return AssertionFailure.InvalidClient(50166, $"Request to External OIDC endpoint failed. The OpenID configuration of issuer '{issuer}' could not be retrieved.");
        }

        var kid = jwt.GetHeaderString("kid");
        if (kid != source.Key.KeyId || jwt.Algorithm != "RS256")
        {
            return AssertionFailure.InvalidClient(7000272,
                $"The certificate with identifier {kid ?? "(none)"} used to sign the federated credential could not be found in the metadata of identity provider {issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.");
        }

        return jwt.VerifySignature(source.Key.Rsa)
            ? null
            : AssertionFailure.InvalidClient(50013, "Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]");
    }

    private AssertionFailure? CheckTime(JsonWebToken jwt)
    {
        var exp = jwt.GetNumber("exp") ?? 0;
        var nbf = jwt.GetNumber("nbf");
        var iat = jwt.GetNumber("iat") ?? nbf ?? 0;
        if (exp - iat > (long)MaxLifetime.TotalSeconds)
        {
            return AssertionFailure.InvalidRequest(70023,
                $"External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00. Token issued at {iat}. Token expires on {exp}.");
        }

        var now = _time.GetUtcNow();
        var validFrom = DateTimeOffset.FromUnixTimeSeconds(nbf ?? 0);
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (validFrom > now || expires <= now)
        {
            return AssertionFailure.InvalidClient(700024,
                $"Client assertion is not within its valid time range. Current time: {Iso(now)}, assertion valid from {Iso(validFrom)}, expiry time of assertion {Iso(expires)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");
        }

        return null;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IgnoreCase(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<string> Audiences(JsonNode? aud) => aud switch
    {
        JsonValue v when v.TryGetValue(out string? one) => new[] { one },
        JsonArray many => many.OfType<JsonValue>().Select(v => v.TryGetValue(out string? s) ? s : null).OfType<string>().ToArray(),
        _ => Array.Empty<string>(),
    };
}
