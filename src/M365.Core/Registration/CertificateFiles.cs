using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using M365.Core.Authentication.Persistence;

namespace M365.Core.Registration
{
    /// <summary>
    /// Writes a new certificate as <c>&lt;name&gt;.pfx</c> (with its private key, protected by the password) and
    /// <c>&lt;name&gt;.cer</c> (the public part, DER). Both are made readable by their owner only (0600 on Unix, as the
    /// token cache and the settings file are; on Windows the user profile's ACL protects them) before the first byte is
    /// written; an existing file is never replaced unless <c>overwrite</c>, and a link never followed.
    /// </summary>
    public static class CertificateFiles
    {
        /// <summary>The paths the files of <paramref name="name"/> would have in <paramref name="directory"/>: PFX, then CER.</summary>
        public static (string Pfx, string Cer) PathsFor(string directory, string name) =>
            (Path.Combine(directory, name + ".pfx"), Path.Combine(directory, name + ".cer"));

        /// <summary>Throws <see cref="RegistrationErrorIds.CertificateFileExists"/> when a file (or link) is already at one of <paramref name="paths"/> and <paramref name="overwrite"/> is false.</summary>
        public static void CheckFree(IEnumerable<string> paths, bool overwrite)
        {
            foreach (var path in paths ?? throw new ArgumentNullException(nameof(paths)))
            {
                if (Ownership.IsLink(path) || (!overwrite && File.Exists(path)))
                {
                    throw new M365Exception(
                        RegistrationErrorIds.CertificateFileExists,
                        $"The file '{path}' already exists; Register-M365App does not replace it (it may hold another app's private key).",
                        "Pass -CertificateOutputDirectory with another folder, or -Force to replace the file (never a link). To reuse that certificate, pass it with -CertificatePath.",
                        path);
                }
            }
        }

        /// <summary>Writes the PFX and the CER; returns their paths.</summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.CertificateFileExists"/>, <see cref="RegistrationErrorIds.CertificateFileUnwritable"/>.</exception>
        public static (string Pfx, string Cer) Write(X509Certificate2 certificate, SecureString password, string directory, string name, bool overwrite)
        {
            if (certificate is null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            var paths = PathsFor(directory, name);
            CheckFree(new[] { paths.Pfx, paths.Cer }, overwrite);
            Directory.CreateDirectory(directory);
            WritePrivate(paths.Pfx, certificate.Export(X509ContentType.Pfx, password ?? throw new ArgumentNullException(nameof(password))), overwrite);
            WritePrivate(paths.Cer, certificate.Export(X509ContentType.Cert), overwrite);
            return paths;
        }

        private static void WritePrivate(string path, byte[] content, bool overwrite)
        {
            try
            {
                using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (SecureFiles.IsUnix && SecureFiles.Chmod(path, SecureFiles.OwnerReadWrite) != 0)
                {
                    throw new IOException("its permissions cannot be restricted to its owner: " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
                }

                stream.SetLength(0);
                stream.Write(content, 0, content.Length);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new M365Exception(
                    RegistrationErrorIds.CertificateFileUnwritable,
                    $"The certificate file '{path}' could not be written: {ex.Message}",
                    "Pass -CertificateOutputDirectory with a folder you may write to.",
                    path,
                    ex);
            }
            finally
            {
                Array.Clear(content, 0, content.Length);
            }
        }
    }
}
