using System.Text.Json.Serialization;

namespace M365.Sandbox.Directory;

/// <summary>A user of the sandbox tenant. The password is a sandbox credential, never a real one.</summary>
public sealed class SeededUser
{
    public Guid Id { get; set; }

    public required string UserPrincipalName { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Password { get; set; }

    /// <summary>A Global Administrator: may consent for the tenant on the browser sign-in's consent page; others get AADSTS65001.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>ROPC sign-in fails with AADSTS50076 for this user, as under a Conditional Access MFA policy.</summary>
    public bool MfaRequired { get; set; }

    /// <summary>ROPC sign-in fails with AADSTS50079: the user must first register for MFA.</summary>
    public bool MfaRegistrationRequired { get; set; }

    /// <summary>Every password or refresh-token grant fails with AADSTS53003, as under a blocking Conditional Access policy.</summary>
    public bool BlockedByConditionalAccess { get; set; }

    public override string ToString() => UserPrincipalName;
}
