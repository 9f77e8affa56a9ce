using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace M365.Sandbox.Hosting;

/// <summary>
/// The sandbox's own CA and the server certificate it signs, kept in the state folder so the pin and the CA a
/// client trusts survive restarts. A server certificate that no longer covers the tenant's names is replaced.
/// </summary>
public sealed class SandboxCertificates : IDisposable
{
    private const string CaFile = "ca.pfx";
    private const string CaPemFile = "ca.pem";
    private const string ServerFile = "server.pfx";

    private SandboxCertificates(X509Certificate2 ca, X509Certificate2 server, string caPemPath)
    {
        Authority = ca;
        Server = server;
        CaCertificatePath = caPemPath;
        Pin = Convert.ToHexStringLower(SHA256.HashData(server.RawData));
        SpkiPin = Convert.ToBase64String(SHA256.HashData(server.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The CA (with its private key, to sign further certificates).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The TLS leaf certificate Kestrel serves.</summary>
    public X509Certificate2 Server { get; }

    public string CaCertificatePath { get; }

    /// <summary>Lowercase hex SHA-256 of the server certificate's DER bytes.</summary>
    public string Pin { get; }

    /// <summary>Base64 SHA-256 of the server certificate's SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes.</summary>
    public string SpkiPin { get; }

    public static SandboxCertificates LoadOrCreate(string stateDirectory, SandboxHostNames hosts, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var caPath = Path.Combine(stateDirectory, CaFile);
        var ca = TryLoad(caPath, now) ?? CreateAuthority(caPath, now);
        var caPemPath = Path.Combine(stateDirectory, CaPemFile);
        SecureFile.WritePublicText(caPemPath, ca.ExportCertificatePem() + "\n");

        var serverPath = Path.Combine(stateDirectory, ServerFile);
        var server = TryLoad(serverPath, now);
        if (server is null || !IsIssuedBy(server, ca) || !Covers(server, hosts))
        {
            server?.Dispose();
            server = CreateServer(serverPath, ca, hosts, now);
        }

        return new SandboxCertificates(ca, server, caPemPath);
    }

    /// <summary>Creates a self-signed client certificate (for an app registration) and saves it as a PFX.</summary>
    public static X509Certificate2 LoadOrCreateClientCertificate(string path, string subject, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var existing = TryLoad(path, now);
        if (existing is not null)
        {
            return existing;
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        return Save(path, cert);
    }

    private static X509Certificate2 CreateAuthority(string path, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=M365 Sandbox Local CA, O=M365 Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return Save(path, cert);
    }

    private static X509Certificate2 CreateServer(string path, X509Certificate2 ca, SandboxHostNames hosts, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=M365 Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in hosts.CertificateNames)
        {
            san.AddDnsName(name);
        }

        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // Two years at most, within the CA's life: clients (Apple's rule, Node) reject longer-lived leaves.
        using var signed = request.Create(ca, now.AddDays(-1), now.AddDays(397), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return Save(path, withKey);
    }

    private static X509Certificate2 Save(string path, X509Certificate2 cert)
    {
        var pfx = cert.Export(X509ContentType.Pkcs12);
        SecureFile.WriteAllBytes(path, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
    }

    private static X509Certificate2? TryLoad(string path, DateTimeOffset now)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var cert = X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
            if (!cert.HasPrivateKey || cert.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(1))
            {
                cert.Dispose();
                return null;
            }

            return cert;
        }
        catch (CryptographicException)
        {
            return null; // A damaged file is replaced rather than stopping the sandbox.
        }
    }

    private static bool IsIssuedBy(X509Certificate2 server, X509Certificate2 ca) =>
        string.Equals(server.Issuer, ca.Subject, StringComparison.Ordinal) && VerifySignedBy(server, ca);

    private static bool VerifySignedBy(X509Certificate2 server, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private static bool Covers(X509Certificate2 server, SandboxHostNames hosts)
    {
        var ext = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (ext is null)
        {
            return false;
        }

        var names = ext.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return hosts.CertificateNames.All(names.Contains);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
