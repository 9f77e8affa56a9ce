namespace M365.Core.Authentication
{
    /// <summary>How a connection signs in.</summary>
    public enum AuthenticationType
    {
        /// <summary>Delegated: the user enters a code at microsoft.com/devicelogin (the default).</summary>
        DeviceCode,

        /// <summary>App-only with a certificate that has a private key.</summary>
        Certificate,

        /// <summary>App-only with a client secret.</summary>
        ClientSecret,

        /// <summary>App-only as the host's managed identity (Azure Automation, App Service, VMs).</summary>
        ManagedIdentity,

        /// <summary>Delegated with a user name and password (ROPC); fails when MFA is required.</summary>
        Credential,

        /// <summary>A ready access token for one resource; never refreshed.</summary>
        AccessToken,

        /// <summary>
        /// App-only with a federated token (workload identity federation) in place of a secret: from the pipeline
        /// (GitHub Actions, Azure DevOps), a token file, or a given client assertion.
        /// </summary>
        FederatedIdentity,
        /// <summary>Delegated: the user signs in in the system browser (authorization code with PKCE, redirect http://localhost).</summary>
        Interactive,
    }
}
