namespace M365.Sandbox.Hosting;

/// <summary>Keys of HttpContext.Items the sandbox's parts use to tell the request log what they learned.</summary>
internal static class RequestItems
{
    public const string ValidatedToken = "m365-sandbox:validated-token";
    public const string GrantType = "m365-sandbox:grant-type";
    public const string IssuedAudience = "m365-sandbox:issued-audience";
    public const string CaeClaims = "m365-sandbox:cae-claims";
}
