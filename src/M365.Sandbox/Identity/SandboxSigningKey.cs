using System.Security.Cryptography;
using System.Text.Json.Nodes;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>
/// The tenant's token-signing key. It lives in the state folder so tokens issued before a restart still validate
/// and clients that cached the JWKS keep working.
/// </summary>
public sealed class SandboxSigningKey : IDisposable
{
    private SandboxSigningKey(RSA rsa)
    {
        Rsa = rsa;
        var parameters = rsa.ExportParameters(false);
        KeyId = Base64Url.Encode(SHA256.HashData(parameters.Modulus!)[..20]);
        Modulus = Base64Url.Encode(parameters.Modulus!);
        Exponent = Base64Url.Encode(parameters.Exponent!);
    }

    internal RSA Rsa { get; }

    public string KeyId { get; }

    private string Modulus { get; }

    private string Exponent { get; }

    public static SandboxSigningKey LoadOrCreate(string stateDirectory) => LoadOrCreate(stateDirectory, "token-signing-key.pem");

    /// <summary>A key kept in <paramref name="fileName"/> of the folder (the pipeline token services have one each).</summary>
    public static SandboxSigningKey LoadOrCreate(string stateDirectory, string fileName)
    {
        var path = Path.Combine(stateDirectory, fileName);
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            SecureFile.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        }

        return new SandboxSigningKey(rsa);
    }

    public JsonObject ToJwks() => new()
    {
        ["keys"] = new JsonArray(new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Modulus,
            ["e"] = Exponent,
        }),
    };

    public string Sign(JsonObject payload) => JsonWebToken.Sign(
        new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = KeyId }, payload, Rsa);

    public void Dispose() => Rsa.Dispose();
}
