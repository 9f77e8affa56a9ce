using System.Security;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;

namespace M365.Core.Tests.Authentication.Persistence;

/// <summary>Sign-in options for the persistence tests.</summary>
internal static class SignIns
{
    public const string Password = "Pa55w0rd!NeverWritten";
    public const string ClientSecret = "cl1ent-Secret-NeverWritten";

    public static SignInOptions DeviceCode(PersistenceOptions persistence, string? name = "work") => new()
    {
        AppId = FakeEntraServer.AppId,
        ConnectionName = name,
        DeviceCodeCallback = (_, _) => Task.CompletedTask,
        Persistence = persistence,
    };

    public static SignInOptions Credential(PersistenceOptions persistence, string? name = "work") => new()
    {
        AuthenticationType = AuthenticationType.Credential,
        AppId = FakeEntraServer.AppId,
        ConnectionName = name,
        UserName = FakeEntraServer.UserName,
        Password = Secure(Password),
        Persistence = persistence,
    };

    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (char c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
