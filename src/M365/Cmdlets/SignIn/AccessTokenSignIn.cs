using System.Net;
using M365.Core.Authentication;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>An access token for one resource, used as is and never refreshed.</summary>
internal sealed class AccessTokenSignIn : SignInMethod
{
    public AccessTokenSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.AccessToken;
        options.AccessToken = new NetworkCredential(string.Empty, Command.AccessToken).Password;
    }
}
