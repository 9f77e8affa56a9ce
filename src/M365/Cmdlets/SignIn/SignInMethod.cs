using System;
using M365.Core.Authentication;
using M365.Core.Connections;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// One way of signing in, as chosen by Connect-M365's parameter set: it checks its own parameters, fills its members of
/// <see cref="SignInOptions"/>, and says what the person sees around the sign-in. The parameters stay on the cmdlet.
/// </summary>
internal abstract class SignInMethod
{
    protected SignInMethod(ConnectM365Command command) => Command = command;

    protected ConnectM365Command Command { get; }

    /// <summary>Checks that need no network and stop the command before it signs in (a non-interactive host, a bad file).</summary>
    public virtual void Validate()
    {
    }

    /// <summary>
    /// Fills this method's members of <paramref name="options"/>. <paramref name="tenant"/> is -Tenant or
    /// $env:CLIMICROSOFT365_TENANT: app-only methods need it as given, delegated ones keep the default (common).
    /// </summary>
    public abstract void Configure(SignInOptions options, string? tenant);

    /// <summary>Runs when the sign-in has ended, whether it succeeded or not (on the pipeline thread).</summary>
    public virtual void SignInEnded()
    {
    }

    /// <summary>Runs once the connection is registered.</summary>
    public virtual void SignedIn(Connection connection)
    {
    }

    /// <summary>The method for the cmdlet's parameter set.</summary>
    public static SignInMethod For(ConnectM365Command command) => command.ParameterSetName switch
    {
        ConnectM365Command.CertificatePathSet or ConnectM365Command.CertificateSet or ConnectM365Command.ThumbprintSet => new CertificateSignIn(command),
        ConnectM365Command.ClientSecretSet or ConnectM365Command.ClientSecretCredentialSet => new ClientSecretSignIn(command),
        ConnectM365Command.ManagedIdentitySet => new ManagedIdentitySignIn(command),
        ConnectM365Command.CredentialSet => new CredentialSignIn(command),
        ConnectM365Command.AccessTokenSet => new AccessTokenSignIn(command),
        ConnectM365Command.DeviceCodeSet => new DeviceCodeSignIn(command),
        ConnectM365Command.FederatedIdentitySet or ConnectM365Command.ClientAssertionSet => new FederatedSignIn(command),
        ConnectM365Command.InteractiveSet => new BrowserSignIn(command),
        _ => throw new InvalidOperationException($"Connect-M365 has no sign-in method for the parameter set '{command.ParameterSetName}'."),
    };
}
