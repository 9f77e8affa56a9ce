using M365.Sandbox.Identity;

namespace M365.Sandbox.Control;

/// <summary>
/// Reads who a bearer token claims to be, without validating it: enough to key throttling and label the request
/// log. Authorization decisions never use it.
/// </summary>
internal sealed record TokenPeek(string? Audience, string? IdentityType, string? AppId)
{
    public static TokenPeek? Read(string? token)
    {
        var jwt = JsonWebToken.TryParse(token);
        return jwt is null ? null : new TokenPeek(jwt.GetString("aud"), jwt.GetString("idtyp"), jwt.GetString("appid"));
    }
}
