using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace M365.Sandbox.Identity;

/// <summary>A compact JWS: parsed header and payload, and the bytes the signature covers.</summary>
internal sealed class JsonWebToken
{
    private JsonWebToken(JsonObject header, JsonObject payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonObject Header { get; }

    public JsonObject Payload { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => GetHeaderString("alg");

    public string? GetHeaderString(string name) => Header[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public string? GetString(string name) => Payload[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>A numeric claim; MSAL.NET writes nbf/exp of its client assertions as strings, so those count too.</summary>
    public long? GetNumber(string name) => Payload[name] is not JsonValue v ? null
        : v.TryGetValue(out long n) ? n
        : v.TryGetValue(out string? s) && long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n) ? n
        : null;

    public static string Sign(JsonObject header, JsonObject payload, RSA key)
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
                    Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.Encode(signature);
    }

    public static JsonWebToken? TryParse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16 * 1024)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 ||
            !Base64Url.TryDecode(parts[0], out var headerBytes) ||
            !Base64Url.TryDecode(parts[1], out var payloadBytes) ||
            !Base64Url.TryDecode(parts[2], out var signature))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(headerBytes) is not JsonObject header || JsonNode.Parse(payloadBytes) is not JsonObject payload)
            {
                return null;
            }

            return new JsonWebToken(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Verifies an RS256 (or PS256) signature with the given public key.</summary>
    public bool VerifySignature(RSA publicKey)
    {
        var padding = Algorithm switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        if (padding is null)
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(SigningInput, Signature, HashAlgorithmName.SHA256, padding);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
