using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using M365.Core;
using M365.Core.Registration;
using M365.PowerShell.Cmdlets.SignIn;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.Registration;

/// <summary>
/// The certificate of an app-only registration: the public part of an existing one (-CertificatePath: .cer/.crt/.der,
/// .pem, or .pfx/.p12 with -CertificatePassword), or a new self-signed one (<see cref="SelfSignedCertificate"/>) written
/// as PFX and CER (<see cref="CertificateFiles"/>) once approved. The password is never written anywhere but into the PFX.
/// </summary>
internal sealed class RegistrationCertificate
{
    private RegistrationCertificate(X509Certificate2 certificate, string? pfx, string? cer, bool isNew)
    {
        Certificate = certificate;
        PfxPath = pfx;
        CerPath = cer;
        IsNew = isNew;
    }

    /// <summary>For a new one: with its private key until <see cref="WriteFiles"/>; for an existing one: the public part.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The PFX (with the private key) to sign in with, when known: the given .pfx, or the new one once written.</summary>
    public string? PfxPath { get; private set; }

    public string? CerPath { get; private set; }

    public bool IsNew { get; }

    /// <summary>The public part of the certificate at <paramref name="given"/>; stops the command when it cannot be read.</summary>
    public static RegistrationCertificate Existing(PSCmdlet command, string given, SecureString? password)
    {
        string path = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".pfx" || extension == ".p12")
        {
            using var full = CertificateLoader.FromFile(command, given, path, password);
            return new RegistrationCertificate(new X509Certificate2(full.Export(X509ContentType.Cert)), path, null, isNew: false);
        }

        if (!File.Exists(path))
        {
            command.ThrowTerminatingError(ErrorRecords.Create(ErrorIds.CertificateNotFound, ErrorCategory.ObjectNotFound, given,
                $"The certificate file '{path}' does not exist.", "Check -CertificatePath: a .cer, .crt, .pem or .pfx file with the app's certificate."));
        }

        try
        {
            return new RegistrationCertificate(new X509Certificate2(PublicPart(File.ReadAllBytes(path))), null, path, isNew: false);
        }
        catch (Exception ex) when (ex is CryptographicException || ex is FormatException || ex is IOException || ex is UnauthorizedAccessException)
        {
            command.ThrowTerminatingError(ErrorRecords.Create(ErrorIds.CertificateInvalid, ErrorCategory.InvalidData, given,
                $"The certificate file '{path}' could not be read as a certificate ({(ex is UnauthorizedAccessException ? "you may not read it" : "not DER, PEM or PFX")}).",
                "Pass a .cer (DER or PEM) file, a .pem with a CERTIFICATE block, or a .pfx with -CertificatePassword."));
            throw;
        }
    }

    /// <summary>A new self-signed certificate named after the app, its files not written yet (they are checked to be free).</summary>
    public static RegistrationCertificate New(string displayName, string directory, TimeSpan validity, bool overwrite)
    {
        var name = FileName(displayName);
        var (pfx, cer) = CertificateFiles.PathsFor(directory, name);
        CertificateFiles.CheckFree(new[] { pfx, cer }, overwrite);
        var certificate = SelfSignedCertificate.Create("CN=" + displayName.Replace(",", " ").Replace("=", " "), DateTimeOffset.UtcNow, validity);
        return new RegistrationCertificate(certificate, pfx, cer, isNew: true);
    }

    /// <summary>Writes the new certificate's PFX and CER (owner-only); false when not approved (-WhatIf), and then nothing is uploaded either.</summary>
    public bool WriteFiles(M365Cmdlet command, SecureString password, bool overwrite)
    {
        if (!IsNew)
        {
            return true;
        }

        if (!command.ShouldProcess($"{PfxPath}, {CerPath}", "Write the new certificate (PFX with its private key, protected by -CertificatePassword; CER with the public part), readable by you only"))
        {
            return false;
        }

        var (pfx, cer) = CertificateFiles.Write(Certificate, password, Path.GetDirectoryName(PfxPath)!, Path.GetFileNameWithoutExtension(PfxPath)!, overwrite);
        command.WriteVerbose($"Wrote the new certificate {Certificate.Thumbprint}: {pfx} (private key) and {cer}, readable by you only.");
        return true;
    }

    private static string FileName(string displayName)
    {
        var name = new StringBuilder();
        foreach (char c in displayName.Trim())
        {
            name.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '-');
        }

        var text = name.ToString().Trim('.');
        return text.Length == 0 ? "M365App" : text;
    }

    // A PEM file may hold a key before the certificate: the first CERTIFICATE block is the one. Anything else is taken as DER.
    private static byte[] PublicPart(byte[] content)
    {
        const string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
        string text = Encoding.ASCII.GetString(content);
        int start = text.IndexOf(begin, StringComparison.Ordinal);
        if (start < 0)
        {
            return content;
        }

        start += begin.Length;
        int stop = text.IndexOf(end, start, StringComparison.Ordinal);
        if (stop < 0)
        {
            throw new FormatException("The PEM CERTIFICATE block has no end.");
        }

        return Convert.FromBase64String(text.Substring(start, stop - start).Replace("\r", string.Empty).Replace("\n", string.Empty).Trim());
    }
}
