using M365.Core.Authentication;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>The managed identity of the Azure resource this runs on: system-assigned, or -ManagedIdentityClientId.</summary>
internal sealed class ManagedIdentitySignIn : SignInMethod
{
    public ManagedIdentitySignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.ManagedIdentity;
        options.ManagedIdentityClientId = Command.ManagedIdentityClientId;
    }
}
