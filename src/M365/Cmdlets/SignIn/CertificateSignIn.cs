using M365.Core.Authentication;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>App-only with a certificate: -CertificatePath (a PFX), -Certificate, or -Thumbprint in a certificate store.</summary>
internal sealed class CertificateSignIn : SignInMethod
{
    public CertificateSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.Certificate;
        options.Tenant = tenant;
        options.Certificate = Command.ParameterSetName switch
        {
            ConnectM365Command.CertificateSet => Command.Certificate!,
            ConnectM365Command.CertificatePathSet => CertificateLoader.FromFile(
                Command,
                Command.CertificatePath!,
                Command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(Command.CertificatePath),
                Command.CertificatePassword),
            _ => CertificateLoader.FromStore(Command, Command.Thumbprint!, Command.CertificateStoreLocation),
        };
    }
}
