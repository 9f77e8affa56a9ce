namespace M365.Sandbox.Identity;

/// <summary>A signed access token and when it expires. Its ToString never shows the token.</summary>
public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresOn, long ExpiresInSeconds)
{
    public override string ToString() => $"access token expiring {ExpiresOn:O}";
}
