namespace M365.Core.Services
{
    /// <summary>
    /// Stable ids of the errors the service clients raise (<see cref="M365ServiceException"/>, or <see cref="M365Exception"/>
    /// before any request). The comment of each id names the PowerShell ErrorCategory the cmdlet layer should use.
    /// Failures of the HTTP pipeline itself keep their <see cref="Http.HttpErrorIds"/>.
    /// </summary>
    public static class ServiceErrorIds
    {
        /// <summary>No service principal has the app id or object id asked for (ObjectNotFound).</summary>
        public const string ServicePrincipalNotFound = "ServicePrincipalNotFound";

        /// <summary>A site already exists at the URL, or a group already has the alias (ResourceExists).</summary>
        public const string SiteAlreadyExists = "SiteAlreadyExists";

        /// <summary>A team site was asked for on an app-only connection; SharePoint creates groups for users only (InvalidOperation).</summary>
        public const string TeamSiteRequiresDelegatedAuth = "TeamSiteRequiresDelegatedAuth";

        /// <summary>A site creation request breaks one of the CLI for Microsoft 365's rules, or a site URL is not one of the tenant's; no request was sent (InvalidArgument).</summary>
        public const string SiteParameterInvalid = "SiteParameterInvalid";

        /// <summary>SharePoint reported that provisioning the site failed (InvalidResult).</summary>
        public const string SiteCreationFailed = "SiteCreationFailed";

        /// <summary>The site was still provisioning when the wait ran out (OperationTimeout).</summary>
        public const string SiteCreationTimedOut = "SiteCreationTimedOut";

        /// <summary>No site collection exists at the URL asked for (ObjectNotFound).</summary>
        public const string SiteNotFound = "SiteNotFound";

        /// <summary>Remove-M365SpoSite was given the tenant's root site or its admin site, which it never removes; nothing was sent (InvalidOperation).</summary>
        public const string SiteRemovalRefused = "SiteRemovalRefused";

        /// <summary>SharePoint refused or failed a site listing, removal or restore (InvalidResult).</summary>
        public const string SiteOperationFailed = "SiteOperationFailed";

        /// <summary>A site removal or restore was still running when the wait ran out (OperationTimeout).</summary>
        public const string SiteOperationTimedOut = "SiteOperationTimedOut";

        /// <summary>SharePoint refused the filter of a site listing (InvalidArgument).</summary>
        public const string SiteFilterInvalid = "SiteFilterInvalid";

        /// <summary>The creation answer could not be read (InvalidResult).</summary>
        public const string SiteResponseInvalid = "SiteResponseInvalid";

        /// <summary>A request URL's host belongs to no known Microsoft 365 resource and no resource was given (InvalidArgument).</summary>
        public const string UnknownResource = "UnknownResource";

        /// <summary>A relative URI was given without a service, or the URI is not usable (InvalidArgument).</summary>
        public const string RequestUriInvalid = "RequestUriInvalid";

        /// <summary>A request header name or value is not allowed: a CR, LF or NUL, an invalid name, or Authorization; nothing was sent (InvalidArgument).</summary>
        public const string RequestHeaderInvalid = "RequestHeaderInvalid";

        /// <summary>The file of a request's streamed body (-InFile) does not exist or cannot be read; nothing was sent (ObjectNotFound).</summary>
        public const string RequestFileNotFound = "RequestFileNotFound";

        /// <summary>A streamed download (-OutFile) could not be written to its file; a file already there is left as it was (WriteError).</summary>
        public const string RequestOutFileFailed = "RequestOutFileFailed";

        /// <summary>
        /// A Graph batch answer lacks the answer of one of its requests, answers one id twice, or is not a batch answer (InvalidResult).
        /// </summary>
        public const string BatchResponseInvalid = "BatchResponseInvalid";

        /// <summary>
        /// An item of an answer is not what was asked for: an item of a list that is not a JSON object (it is skipped, the rest
        /// go on), or a lookup answered with another object than the one looked up (InvalidData). Of the ResponseNotJson family.
        /// </summary>
        public const string ResponseItemInvalid = "ResponseItemInvalid";
    }
}
