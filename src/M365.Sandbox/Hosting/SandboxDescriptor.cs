using System.Text.Json;
using System.Text.Json.Serialization;

namespace M365.Sandbox.Hosting;

/// <summary>
/// The JSON file (sandbox.json in the state folder) that tells clients where the sandbox is and how to trust it.
/// <c>M365_SANDBOX=&lt;path&gt;</c> points the module at it.
/// </summary>
public sealed record SandboxDescriptor(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("certificateSha256")] string CertificateSha256,
    [property: JsonPropertyName("caCertificatePath")] string CaCertificatePath,
    [property: JsonPropertyName("tenantName")] string TenantName,
    [property: JsonPropertyName("tenantId")] Guid TenantId,
    [property: JsonPropertyName("controlUrl")] string ControlUrl,
    [property: JsonPropertyName("identityEndpoint")] string IdentityEndpoint,
    [property: JsonPropertyName("identityHeader")] string IdentityHeader,
    [property: JsonPropertyName("identityServerThumbprint")] string? IdentityServerThumbprint = null,
    [property: JsonPropertyName("certificateSpkiSha256")] string? CertificateSpkiSha256 = null)
{
    public const string EnvironmentVariable = "M365_SANDBOX";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SandboxDescriptor Read(string path) =>
        JsonSerializer.Deserialize<SandboxDescriptor>(File.ReadAllText(path)) ?? throw new InvalidDataException($"'{path}' is not a sandbox descriptor.");

    // The identity header is a sandbox secret for the managed-identity endpoint; the file is written 0600.
    public void Write(string path) => SecureFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(ToJson()));

    public override string ToString() => $"{Url} (tenant {TenantName}, pin {CertificateSha256})";
}
