using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Mints the tenant's tokens: v1 access tokens as Entra ID issues them to Microsoft resources, v2 id tokens.</summary>
public sealed class TokenIssuer
{
    private readonly SandboxSigningKey _key;
    private readonly TenantDirectory _directory;
    private readonly TokenLifetimes _lifetimes;
    private readonly TimeProvider _time;

    public TokenIssuer(SandboxSigningKey key, TenantDirectory directory, TokenLifetimes lifetimes, TimeProvider time)
    {
        _key = key;
        _directory = directory;
        _lifetimes = lifetimes;
        _time = time;
    }

    /// <summary>The sandbox's own claim: the highest claims-challenge nbf a token satisfies (see <see cref="CaeChallenges"/>).</summary>
    public const string CaeAcknowledgedClaim = "sbx_cae";

    public string AccessTokenIssuer => $"https://sts.windows.net/{_directory.TenantId}/";

    public string IdTokenIssuer => $"https://login.microsoftonline.com/{_directory.TenantId}/v2.0";

    /// <param name="appAuthentication">appidacr: 0 public client, 1 secret, 2 certificate.</param>
    /// <param name="cae">What the request earned under the active claims challenges; null for none.</param>
    public IssuedAccessToken IssueDelegated(SeededUser user, SeededApp app, string audience, IReadOnlyList<string> scopes, int appAuthentication, CaeGrant? cae = null)
    {
        var payload = CommonClaims(audience, app.AppId, app.DisplayName, "user", user.Id, appAuthentication, out var expires);
        AddCae(payload, cae);
        payload["upn"] = user.UserPrincipalName;
        payload["unique_name"] = user.UserPrincipalName;
        payload["name"] = user.DisplayName;
        payload["scp"] = string.Join(' ', scopes);
        return new IssuedAccessToken(_key.Sign(payload), expires, (long)_lifetimes.AccessToken.TotalSeconds);
    }

    public IssuedAccessToken IssueAppOnly(Guid appId, string displayName, Guid servicePrincipalId, string audience, IReadOnlyList<string> roles, int appAuthentication, CaeGrant? cae = null)
    {
        var payload = CommonClaims(audience, appId, displayName, "app", servicePrincipalId, appAuthentication, out var expires);
        AddCae(payload, cae);
        if (roles.Count > 0)
        {
            payload["roles"] = new JsonArray(roles.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray());
        }

        return new IssuedAccessToken(_key.Sign(payload), expires, (long)_lifetimes.AccessToken.TotalSeconds);
    }

    public string IssueIdToken(SeededUser user, SeededApp app)
    {
        var now = _time.GetUtcNow();
        var payload = new JsonObject
        {
            ["aud"] = app.AppId.ToString(),
            ["iss"] = IdTokenIssuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
            ["name"] = user.DisplayName,
            ["oid"] = user.Id.ToString(),
            ["preferred_username"] = user.UserPrincipalName,
            ["sub"] = Subject(user.Id, app.AppId),
            ["tid"] = _directory.TenantId.ToString(),
            ["ver"] = "2.0",
        };
        return _key.Sign(payload);
    }

    /// <summary>base64url of {"uid":oid,"utid":tid}: MSAL builds its account from it.</summary>
    public string ClientInfo(SeededUser user) => Base64Url.Encode(Encoding.UTF8.GetBytes(
        new JsonObject { ["uid"] = user.Id.ToString(), ["utid"] = _directory.TenantId.ToString() }.ToJsonString()));

    private JsonObject CommonClaims(string audience, Guid appId, string appName, string identityType, Guid objectId, int appAuthentication, out DateTimeOffset expires)
    {
        var now = _time.GetUtcNow();
        expires = now.Add(_lifetimes.AccessToken);
        return new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = AccessTokenIssuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["appid"] = appId.ToString(),
            ["app_displayname"] = appName,
            ["appidacr"] = appAuthentication.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["idtyp"] = identityType,
            ["oid"] = objectId.ToString(),
            ["sub"] = Subject(objectId, appId),
            ["tid"] = _directory.TenantId.ToString(),
            ["uti"] = Base64Url.Encode(RandomNumberGenerator.GetBytes(16)),
            ["ver"] = "1.0",
        };
    }

    private static void AddCae(JsonObject payload, CaeGrant? cae)
    {
        if (cae is { Capable: true })
        {
            payload["xms_cc"] = new JsonArray(JsonValue.Create("cp1"));
        }

        if (cae is { Acknowledged: > 0 })
        {
            payload[CaeAcknowledgedClaim] = cae.Acknowledged;
        }
    }

    // Entra's sub is pairwise per (principal, app); a hash gives the same property.
    private static string Subject(Guid principal, Guid appId) =>
        Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{principal}:{appId}")));
}
