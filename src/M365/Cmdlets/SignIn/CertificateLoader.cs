using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>Opens the app's certificate from a PFX file or a certificate store, with errors that say what is wrong.</summary>
internal static class CertificateLoader
{
    /// <summary>The PFX at <paramref name="path"/> (as resolved from <paramref name="given"/>); stops the command when it cannot be opened.</summary>
    public static X509Certificate2 FromFile(Cmdlet command, string given, string path, SecureString? password)
    {
        if (!File.Exists(path))
        {
            command.ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.CertificateNotFound,
                ErrorCategory.ObjectNotFound,
                given,
                $"The certificate file '{path}' does not exist.",
                "Check -CertificatePath: it names the PFX (.pfx, .p12) file with the app's certificate and private key."));
        }

        try
        {
            return password is null
                ? new X509Certificate2(path, (string?)null, X509KeyStorageFlags.DefaultKeySet)
                : new X509Certificate2(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException || ex is IOException || ex is UnauthorizedAccessException)
        {
            // OpenSSL's own text ("error:10000080:BIO routines::…") tells a person nothing; say what it means.
            var reason = ex is UnauthorizedAccessException
                ? "you may not read it"
                : password is null
                    ? "it is not a PFX file, or it needs a password (-CertificatePassword)"
                    : "it is not a PFX file, or -CertificatePassword is wrong";
            var error = ErrorRecords.Create(
                ErrorIds.CertificateInvalid,
                ErrorCategory.InvalidData,
                given,
                $"The certificate file '{path}' could not be opened: {reason}.",
                "Check the file and -CertificatePassword; export the certificate with its private key as a PFX.");
            command.ThrowTerminatingError(new ErrorRecord(new PSArgumentException(error.ErrorDetails.Message, ex), error.FullyQualifiedErrorId, error.CategoryInfo.Category, error.TargetObject) { ErrorDetails = error.ErrorDetails });
            throw;
        }
    }

    /// <summary>The certificate with <paramref name="thumbprint"/> in the My store of <paramref name="location"/>; stops the command when it is not there.</summary>
    public static X509Certificate2 FromStore(Cmdlet command, string thumbprint, StoreLocation location)
    {
        var found = FindInStore(thumbprint, location);
        if (found is null)
        {
            command.ThrowTerminatingError(ErrorRecords.Create(
                ErrorIds.CertificateNotFound,
                ErrorCategory.ObjectNotFound,
                thumbprint,
                $"No certificate with thumbprint {thumbprint} is in the {location} My store.",
                "Check the thumbprint and -CertificateStoreLocation, or use -CertificatePath with the PFX file."));
        }

        return found!;
    }

    private static X509Certificate2? FindInStore(string thumbprint, StoreLocation location)
    {
        using var store = new X509Store(StoreName.My, location);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException)
        {
            // The store does not exist on this machine (common on Linux): then no certificate is in it.
            return null;
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
        return found.Count == 0 ? null : found[0];
    }
}
