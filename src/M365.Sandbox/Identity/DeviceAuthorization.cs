using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

public enum DeviceAuthorizationState
{
    Pending,
    Approved,
    Declined,
    Redeemed,
}

/// <summary>One device-code sign-in in progress. Mutated only under the store's lock.</summary>
public sealed class DeviceAuthorization
{
    public required string DeviceCode { get; init; }

    public required string UserCode { get; init; }

    public required SeededApp App { get; init; }

    public required string Scope { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DeviceAuthorizationState State { get; set; }

    public SeededUser? User { get; set; }

    public int Polls { get; set; }

    public override string ToString() => $"device code {UserCode} for {App.DisplayName} ({State})";
}
