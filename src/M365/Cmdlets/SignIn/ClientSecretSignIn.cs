using M365.Core.Authentication;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>App-only with a client secret: -AppId with -ClientSecret, or -ClientSecretCredential (app id and secret).</summary>
internal sealed class ClientSecretSignIn : SignInMethod
{
    public ClientSecretSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.ClientSecret;
        options.Tenant = tenant;
        if (Command.ClientSecretCredential is { } credential)
        {
            options.AppId = credential.UserName;
            options.ClientSecret = credential.Password;
        }
        else
        {
            options.ClientSecret = Command.ClientSecret;
        }
    }
}
