namespace M365.Core.Registration
{
    /// <summary>Stable ids of the errors Register-M365App and Unregister-M365App raise; each comment names the ErrorCategory.</summary>
    public static class RegistrationErrorIds
    {
        /// <summary>The app was created but the signed-in user may not grant tenant-wide consent (PermissionDenied).</summary>
        public const string AdminConsentRequired = "AdminConsentRequired";

        /// <summary>A -Permission value names a permission its resource does not have, or is not <c>resource/name</c> (InvalidArgument).</summary>
        public const string PermissionNotFound = "PermissionNotFound";

        /// <summary>A -Permission value names a resource whose service principal is not in the tenant (ObjectNotFound).</summary>
        public const string PermissionResourceNotFound = "PermissionResourceNotFound";

        /// <summary>An app of that name (or id) exists that Register-M365App did not make (ResourceExists).</summary>
        public const string AppRegistrationNotOwned = "AppRegistrationNotOwned";

        /// <summary>A step of the registration failed after others succeeded; what exists is kept (InvalidResult).</summary>
        public const string AppRegistrationIncomplete = "AppRegistrationIncomplete";

        /// <summary>The new app still answered AADSTS700016 when the wait ended (OperationTimeout).</summary>
        public const string AppReplicationTimedOut = "AppReplicationTimedOut";

        /// <summary>Unregister-M365App found no application with that app id (ObjectNotFound).</summary>
        public const string AppRegistrationNotFound = "AppRegistrationNotFound";
    

        /// <summary>-AppOnly without -CertificatePath makes a new certificate, and its PFX needs -CertificatePassword (InvalidArgument).</summary>
        public const string CertificatePasswordRequired = "CertificatePasswordRequired";

        /// <summary>A certificate file to write already exists (or is a link) and -Force was not given (ResourceExists).</summary>
        public const string CertificateFileExists = "CertificateFileExists";

        /// <summary>A certificate file could not be written (WriteError).</summary>
        public const string CertificateFileUnwritable = "CertificateFileUnwritable";

        /// <summary>This runtime cannot make a self-signed certificate (.NET Framework before 4.7.2) (NotImplemented).</summary>
        public const string CertificateCreationUnsupported = "CertificateCreationUnsupported";

        /// <summary>A -GitHubRepository, -GitHubEnvironment/-GitHubBranch or -AzureDevOpsServiceConnection value is malformed or they conflict (InvalidArgument).</summary>
        public const string FederatedCredentialInvalid = "FederatedCredentialInvalid";

        /// <summary>The app has a federated credential of that name for another issuer or subject (ResourceExists).</summary>
        public const string FederatedCredentialConflict = "FederatedCredentialConflict";
    }
}
