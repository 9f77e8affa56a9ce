using System.Security;

namespace M365.Module.Tests.Harness;

internal static class Secrets
{
    /// <summary>A SecureString as a script would get it from Read-Host -AsSecureString (not available in the hosted engine).</summary>
    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
