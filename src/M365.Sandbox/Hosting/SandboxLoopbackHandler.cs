using System.Net.Security;
using System.Security.Cryptography;

namespace M365.Sandbox.Hosting;

/// <summary>
/// Sends requests for real Microsoft host names to the sandbox: https://&lt;real-host&gt;/path becomes
/// https://127.0.0.1:&lt;port&gt;/path with Host (and so SNI) set to the real host, and only the pinned sandbox
/// certificate is trusted. Redirects are not followed, so a redirect comes back through this handler.
/// </summary>
public sealed class SandboxLoopbackHandler : DelegatingHandler
{
    private readonly int _port;

    public SandboxLoopbackHandler(int port, string certificatePin)
        : base(CreateInnerHandler(certificatePin))
    {
        _port = port;
    }

    public static SocketsHttpHandler CreateInnerHandler(string certificatePin) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            // Pinning replaces name and chain checks: the pin names exactly one certificate.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null &&
                string.Equals(Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())), certificatePin, StringComparison.Ordinal),
        },
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("The sandbox handler needs absolute request URIs.");
        }

        var isSandboxItself = uri.Host == "127.0.0.1" && uri.Port == _port;
        if (!isSandboxItself)
        {
            request.Headers.Host = uri.IsDefaultPort ? uri.Host : uri.Authority;
            request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Host = "127.0.0.1", Port = _port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
