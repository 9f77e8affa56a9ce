using System;
using System.Collections.Generic;
using System.IO;
using M365.Core;
using M365.Core.Registration;

namespace M365.PowerShell.Cmdlets.Registration;

/// <summary>Register-M365App's app-only parameters, checked before any sign-in: the federated credentials and the certificate.</summary>
internal static class AppOnlyArguments
{
    /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.FederatedCredentialInvalid"/>.</exception>
    public static IReadOnlyList<FederatedCredentialRequest> FederatedCredentials(RegisterM365AppCommand command)
    {
        var list = new List<FederatedCredentialRequest>();
        if (command.GitHubRepository is { } repository)
        {
            list.Add(FederatedCredentialRequest.GitHub(repository, command.GitHubEnvironment, command.GitHubBranch));
        }
        else if (command.GitHubEnvironment is not null || command.GitHubBranch is not null)
        {
            throw new M365Exception(RegistrationErrorIds.FederatedCredentialInvalid, "-GitHubEnvironment and -GitHubBranch need -GitHubRepository: they narrow which of its jobs may sign in.",
                "Add -GitHubRepository org/repo.", command.GitHubEnvironment ?? command.GitHubBranch);
        }

        if (command.AzureDevOpsServiceConnection is { } connection)
        {
            list.Add(FederatedCredentialRequest.AzureDevOps(connection, command.AzureDevOpsOrganizationId));
        }
        else if (command.AzureDevOpsOrganizationId != Guid.Empty)
        {
            throw new M365Exception(RegistrationErrorIds.FederatedCredentialInvalid, "-AzureDevOpsOrganizationId needs -AzureDevOpsServiceConnection: it names the organization of that service connection.",
                "Add -AzureDevOpsServiceConnection organization/project/connection.", command.AzureDevOpsOrganizationId);
        }

        return list;
    }

    /// <summary>
    /// The certificate to add: the -CertificatePath one; else, app-only, a new one, unless federated credentials are the
    /// sign-in and no -CertificatePassword asks for a certificate as well. Null for a delegated registration.
    /// </summary>
    /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.CertificatePasswordRequired"/>, <see cref="RegistrationErrorIds.CertificateFileExists"/>, <see cref="RegistrationErrorIds.CertificateCreationUnsupported"/>.</exception>
    public static RegistrationCertificate? Certificate(RegisterM365AppCommand command, bool appOnly, bool federated)
    {
        if (command.CertificatePath is { } path)
        {
            return RegistrationCertificate.Existing(command, path, command.CertificatePassword);
        }

        if (!appOnly || (federated && command.CertificatePassword is null))
        {
            return null;
        }

        if (command.CertificatePassword is null || command.CertificatePassword.Length == 0)
        {
            throw new M365Exception(
                RegistrationErrorIds.CertificatePasswordRequired,
                "-AppOnly without -CertificatePath makes a new certificate, and its PFX file (which holds the private key) must be protected by a password.",
                "Add -CertificatePassword (Read-Host -AsSecureString 'PFX password'), or pass an existing certificate with -CertificatePath.",
                "CertificatePassword");
        }

        string directory = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(command.CertificateOutputDirectory ?? ".");
        return RegistrationCertificate.New(command.DisplayName.Trim(), Path.GetFullPath(directory), TimeSpan.FromDays(command.CertificateValidityDays), command.Force);
    }
}
