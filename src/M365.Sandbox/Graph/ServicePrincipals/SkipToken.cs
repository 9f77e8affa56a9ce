using System.Buffers.Binary;
using System.Buffers.Text;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The opaque <c>$skiptoken</c> of a listing: the position of the next page, with a magic prefix and a check
/// byte so a mangled or foreign token is refused instead of silently restarting the listing.
/// </summary>
internal static class SkipToken
{
    private const byte Magic1 = (byte)'S';
    private const byte Magic2 = (byte)'P';
    private const byte Version = 1;

    public static string Encode(int position)
    {
        Span<byte> bytes = stackalloc byte[8];
        bytes[0] = Magic1;
        bytes[1] = Magic2;
        bytes[2] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[3..7], position);
        bytes[7] = Check(bytes[..7]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string token, out int position)
    {
        position = 0;
        Span<byte> bytes = stackalloc byte[16];
        // TryDecodeFromChars throws on characters outside the alphabet; IsValid screens them (and the length) first.
        if (token.Length > 16 || !Base64Url.IsValid(token) || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != 8
            || bytes[0] != Magic1 || bytes[1] != Magic2 || bytes[2] != Version || bytes[7] != Check(bytes[..7]))
        {
            return false;
        }

        position = BinaryPrimitives.ReadInt32LittleEndian(bytes[3..7]);
        return position >= 0;
    }

    private static byte Check(ReadOnlySpan<byte> bytes)
    {
        byte check = 0x5A;
        foreach (var b in bytes)
        {
            check = (byte)((check << 1 | check >> 7) ^ b);
        }

        return check;
    }
}
