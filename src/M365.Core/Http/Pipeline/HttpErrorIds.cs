namespace M365.Core.Http
{
    /// <summary>
    /// Stable ids of <see cref="M365HttpException"/>s raised by <see cref="ResourceRequestSender"/>. The comment of each id
    /// names the PowerShell ErrorCategory the cmdlet layer should use.
    /// </summary>
    public static class HttpErrorIds
    {
        /// <summary>429 after every retry (LimitsExceeded).</summary>
        public const string RequestThrottled = "RequestThrottled";

        /// <summary>503 after every retry (ResourceUnavailable).</summary>
        public const string ServiceUnavailable = "ServiceUnavailable";

        /// <summary>504 after every retry (OperationTimeout).</summary>
        public const string GatewayTimeout = "GatewayTimeout";

        /// <summary>404 (ObjectNotFound).</summary>
        public const string ResourceNotFound = "ResourceNotFound";

        /// <summary>403 (PermissionDenied).</summary>
        public const string AccessDenied = "AccessDenied";

        /// <summary>401 even after one forced token refresh (AuthenticationError).</summary>
        public const string Unauthorized = "Unauthorized";

        /// <summary>400 (InvalidArgument).</summary>
        public const string BadRequest = "BadRequest";

        /// <summary>409 (ResourceExists).</summary>
        public const string Conflict = "Conflict";

        /// <summary>Any other non-success status, e.g. 500 (NotSpecified).</summary>
        public const string ServiceError = "ServiceError";

        /// <summary>A success answer whose body is not the JSON asked for: malformed, HTML or empty (InvalidResult).</summary>
        public const string ResponseNotJson = "ResponseNotJson";

        /// <summary>
        /// A success answer's body is larger than the sender reads into memory (<see cref="HttpRetryOptions.MaxResponseBytes"/>);
        /// it was not read further (LimitsExceeded).
        /// </summary>
        public const string ResponseTooLarge = "ResponseTooLarge";

        /// <summary>A page's <c>@odata.nextLink</c> repeats a link already followed, so paging would never end (InvalidResult).</summary>
        public const string ODataNextLinkLoop = "ODataNextLinkLoop";

        /// <summary>A page's <c>@odata.nextLink</c> points to another host or resource; it was not followed (SecurityError).</summary>
        public const string ODataNextLinkForeignHost = "ODataNextLinkForeignHost";

        /// <summary>Paging stopped at the page limit (<see cref="HttpRetryOptions.MaxPages"/>) with pages still to come (LimitsExceeded).</summary>
        public const string ODataPageLimitExceeded = "ODataPageLimitExceeded";

        /// <summary>A page is JSON but has no <c>value</c> array (InvalidResult).</summary>
        public const string ODataPageInvalid = "ODataPageInvalid";

        /// <summary>A redirect points to another host or resource; it was not followed (SecurityError).</summary>
        public const string RedirectToForeignHost = "RedirectToForeignHost";

        /// <summary>A redirect was answered with another redirect, or had no usable Location (InvalidResult).</summary>
        public const string RedirectNotFollowed = "RedirectNotFollowed";

        /// <summary>The service could not be reached (connection refused or reset, name not resolved) after every retry (ConnectionError).</summary>
        public const string ServiceUnreachable = "ServiceUnreachable";

        /// <summary>An attempt or the overall time budget ran out (OperationTimeout).</summary>
        public const string RequestTimedOut = "RequestTimedOut";
    }
}
