using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// A validated authorize request (v2 <c>/oauth2/v2.0/authorize</c> or v1 <c>/oauth2/authorize?resource=…</c>): the app
/// is known and the redirect URI registered, so answers may go back to it. Everything but the app came from the
/// query string and is echoed only encoded.
/// </summary>
internal sealed record AuthorizationRequest
{
    public required string Tenant { get; init; }

    public required SeededApp App { get; init; }

    /// <summary>The redirect URI exactly as requested (port included): answers go there and the token request must repeat it.</summary>
    public required string RedirectUri { get; init; }

    /// <summary>form_post, query or fragment.</summary>
    public required string ResponseMode { get; init; }

    public string? State { get; init; }

    /// <summary>The v2 scope, or for v1 <c>{resource}/.default</c>.</summary>
    public required string Scope { get; init; }

    public required ScopeRequest Resource { get; init; }

    /// <summary>The S256 PKCE challenge, or null when none was sent (v1 clients).</summary>
    public string? CodeChallenge { get; init; }

    public string? LoginHint { get; init; }

    public bool IsV1 { get; init; }

    public override string ToString() => $"authorize {App.DisplayName} for {Resource.Audience} ({(IsV1 ? "v1" : "v2")}, {ResponseMode})";
}
