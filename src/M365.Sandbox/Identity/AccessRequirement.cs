namespace M365.Sandbox.Identity;

/// <summary>
/// What a resource endpoint demands of a token: one of the delegated scopes (for user tokens) or one of the
/// application roles (for app-only tokens). An empty list means "no particular permission".
/// </summary>
public sealed record AccessRequirement(IReadOnlyList<string> AnyScope, IReadOnlyList<string> AnyRole, bool DelegatedOnly = false)
{
    public static AccessRequirement Any { get; } = new(Array.Empty<string>(), Array.Empty<string>());

    public static AccessRequirement Delegated(params string[] anyScope) => new(anyScope, Array.Empty<string>(), DelegatedOnly: true);

    public static AccessRequirement Of(string[] anyScope, string[] anyRole) => new(anyScope, anyRole);
}
