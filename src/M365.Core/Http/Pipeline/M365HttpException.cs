using System;

namespace M365.Core.Http
{
    /// <summary>
    /// A service request that failed for good: a non-success answer after the allowed retries, an answer that is not the
    /// JSON asked for, a refused nextLink or redirect, or a network failure. <see cref="M365Exception.ErrorId"/> is one of
    /// <see cref="HttpErrorIds"/>; <see cref="M365Exception.Target"/> is the request URL with secrets removed.
    /// Never carries a token or the response body.
    /// </summary>
    public sealed class M365HttpException : M365Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">One of <see cref="HttpErrorIds"/>.</param>
        /// <param name="message">What happened.</param>
        /// <param name="recommendedAction">What to do, or null.</param>
        /// <param name="method">The HTTP method.</param>
        /// <param name="requestUrl">The request URL, already redacted.</param>
        /// <param name="statusCode">The HTTP status, or null when no answer came.</param>
        /// <param name="serviceErrorCode">The service's own error code (e.g. <c>Request_ResourceNotFound</c>), or null.</param>
        /// <param name="serviceMessage">The service's own error message, redacted and shortened, or null.</param>
        /// <param name="attempts">How many times the request was sent.</param>
        /// <param name="innerException">The underlying cause, or null.</param>
        /// <param name="requestId">The service's request id (Graph <c>request-id</c>, SharePoint <c>SPRequestGuid</c>), or null.</param>
        public M365HttpException(
            string errorId,
            string message,
            string? recommendedAction,
            string method,
            string requestUrl,
            int? statusCode = null,
            string? serviceErrorCode = null,
            string? serviceMessage = null,
            int attempts = 1,
            Exception? innerException = null,
            string? requestId = null)
            : base(errorId, message, recommendedAction, requestUrl, innerException)
        {
            RequestId = requestId;
            Method = method ?? throw new ArgumentNullException(nameof(method));
            RequestUrl = requestUrl ?? throw new ArgumentNullException(nameof(requestUrl));
            StatusCode = statusCode;
            ServiceErrorCode = serviceErrorCode;
            ServiceMessage = serviceMessage;
            Attempts = attempts;
        }

        /// <summary>The HTTP method, e.g. <c>GET</c>.</summary>
        public string Method { get; }

        /// <summary>The request URL with secrets in its query removed.</summary>
        public string RequestUrl { get; }

        /// <summary>The HTTP status of the last answer, or null when no answer came.</summary>
        public int? StatusCode { get; }

        /// <summary>The service's error code from the body (Graph <c>error.code</c>, SharePoint <c>odata.error.code</c>), or null.</summary>
        public string? ServiceErrorCode { get; }

        /// <summary>The service's error message from the body, redacted and at most 500 characters, or null.</summary>
        public string? ServiceMessage { get; }

        /// <summary>The service's id of the failed request, for a support case (Graph <c>request-id</c>, SharePoint <c>SPRequestGuid</c>), or null.</summary>
        public string? RequestId { get; }

        /// <summary>How many times the request was sent (1 when it was not retried).</summary>
        public int Attempts { get; }
    }
}
