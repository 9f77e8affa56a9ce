namespace M365.Core.Authentication
{
    /// <summary>Where a connection's app id came from, so a later change of the environment can be noticed.</summary>
    public enum AppIdSource
    {
        /// <summary>The -AppId parameter.</summary>
        Parameter,

        /// <summary>The environment variable CLIMICROSOFT365_AADAPPID.</summary>
        AadAppIdVariable,

        /// <summary>The environment variable CLIMICROSOFT365_ENTRAAPPID.</summary>
        EntraAppIdVariable,

        /// <summary>The built-in default, the PnP Management Shell app.</summary>
        Default,

        /// <summary>Not chosen by the user: read from a managed identity's or a supplied token's claims.</summary>
        Token,

        /// <summary>A pipeline's variable for a federated sign-in: AZURE_CLIENT_ID, or AZURESUBSCRIPTION_CLIENT_ID in Azure DevOps.</summary>
        FederatedEnvironment,
        /// <summary>The saved default (Set-M365Setting -AppId), used when neither -AppId nor the environment names an app.</summary>
        Setting,
    }
}
