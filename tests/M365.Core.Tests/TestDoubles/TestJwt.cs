using System.Text;
using System.Text.Json;

namespace M365.Core.Tests.TestDoubles;

/// <summary>Builds unsigned JWTs for tests; the code under test never validates signatures.</summary>
internal static class TestJwt
{
    public static string Create(object payload)
    {
        string header = Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        string body = Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return header + "." + body + ".c2lnbmF0dXJl";
    }

    public static string Encode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
