using System.Security.Cryptography;

namespace M365.Sandbox.Hosting;

/// <summary>The X-IDENTITY-HEADER value App Service gives its managed-identity endpoint; new at every start.</summary>
public sealed class ManagedIdentitySecret
{
    public string Value { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public override string ToString() => "(managed identity header)";
}
