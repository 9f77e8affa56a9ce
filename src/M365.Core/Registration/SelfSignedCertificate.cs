using System;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace M365.Core.Registration
{
    /// <summary>
    /// A new self-signed certificate for an app-only registration (RSA 2048, SHA-256, key usage digital signature), made
    /// with .NET's own <c>CertificateRequest</c>, so it works on Windows, Linux and macOS alike.
    /// <para>
    /// Why reflection: <c>CertificateRequest</c> exists at run time on every runtime the module supports (.NET Framework
    /// 4.7.2+, in System.Core; .NET Core 2.0+, in System.Security.Cryptography.X509Certificates) but is not in the
    /// netstandard2.0 API surface the module compiles against, and no package the registry serves adds it there
    /// (Microsoft.Bcl.Cryptography 10.0.15 for netstandard2.0 has X509CertificateLoader, SP800108HmacCounterKdf and ML-KEM,
    /// not CertificateRequest, as its netstandard2.0 assembly shows; BouncyCastle
    /// would be a second crypto stack and its own certificate format code; the net8.0 M365.Loader loads in PowerShell 7
    /// only, so Windows PowerShell would lose the feature there). The shim binds the three public members it
    /// uses (the constructor, CertificateExtensions, CreateSelfSigned) by their exact signatures and fails plainly
    /// (<see cref="RegistrationErrorIds.CertificateCreationUnsupported"/>) where they are missing.
    /// </para>
    /// </summary>
    public static class SelfSignedCertificate
    {
        private const string TypeName = "System.Security.Cryptography.X509Certificates.CertificateRequest";

        // .NET Core / .NET 5+, then .NET Framework 4.7.2+.
        private static readonly string[] s_assemblies = { "System.Security.Cryptography.X509Certificates", "System.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089" };

        /// <summary>The certificate with its private key (exportable), valid from a few minutes before <paramref name="now"/> for <paramref name="validity"/>.</summary>
        /// <param name="subject">A distinguished name, e.g. <c>CN=M365 PowerShell</c>.</param>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.CertificateCreationUnsupported"/>.</exception>
        public static X509Certificate2 Create(string subject, DateTimeOffset now, TimeSpan validity)
        {
            if (validity <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(validity));
            }

            var type = FindType() ?? throw Unsupported("this .NET runtime has no CertificateRequest");
            var constructor = type.GetConstructor(new[] { typeof(string), typeof(RSA), typeof(HashAlgorithmName), typeof(RSASignaturePadding) });
            var extensions = type.GetProperty("CertificateExtensions", typeof(Collection<X509Extension>));
            var create = type.GetMethod("CreateSelfSigned", new[] { typeof(DateTimeOffset), typeof(DateTimeOffset) });
            if (constructor is null || extensions is null || create is null)
            {
                throw Unsupported("its CertificateRequest lacks the members used");
            }

            using var rsa = RSA.Create();
            rsa.KeySize = 2048;
            try
            {
                var request = constructor.Invoke(new object[] { subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1 });
                var list = (Collection<X509Extension>)extensions.GetValue(request)!;
                list.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
                list.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
                // A few minutes back: a clock a little behind Entra ID's would otherwise see a certificate not yet valid.
                return (X509Certificate2)create.Invoke(request, new object[] { now.AddMinutes(-5), now.Add(validity) })!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is CryptographicException crypto)
            {
                throw new M365Exception(
                    RegistrationErrorIds.CertificateCreationUnsupported,
                    $"The self-signed certificate could not be made: {crypto.Message}",
                    "Make a certificate yourself (for example with New-SelfSignedCertificate or openssl) and pass it with -CertificatePath.",
                    subject,
                    crypto);
            }
        }

        private static Type? FindType()
        {
            foreach (var assembly in s_assemblies)
            {
                if (Type.GetType(TypeName + ", " + assembly, throwOnError: false) is { } type)
                {
                    return type;
                }
            }

            return null;
        }

        private static M365Exception Unsupported(string why) => new M365Exception(
            RegistrationErrorIds.CertificateCreationUnsupported,
            $"A self-signed certificate cannot be made here: {why} (it needs .NET Framework 4.7.2 or later, or PowerShell 7).",
            "Run Register-M365App in PowerShell 7, or make a certificate yourself and pass it with -CertificatePath.",
            TypeName);
    }
}
