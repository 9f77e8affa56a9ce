using M365.Core.Authentication;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>A user name and password (ROPC), with a warning: it fails for MFA accounts and many Conditional Access policies.</summary>
internal sealed class CredentialSignIn : SignInMethod
{
    public CredentialSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Validate() =>
        Command.WriteWarning("Signing in with a user name and password does not work for accounts that require MFA and is blocked by many Conditional Access policies. Prefer device code, a certificate or a managed identity.");

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.Credential;
        options.UserName = Command.Credential!.UserName;
        options.Password = Command.Credential.Password;
    }
}
