using System;
using M365.Core.Http;

namespace M365.Core.Services
{
    /// <summary>
    /// A service operation that failed for one input: <see cref="M365Exception.ErrorId"/> is one of <see cref="ServiceErrorIds"/>
    /// or <see cref="HttpErrorIds"/>, <see cref="M365Exception.Target"/> is the input (an app id, a site URL, a request URI),
    /// and the service's own message and request id are kept for the error details. Never carries a token or a body.
    /// </summary>
    public sealed class M365ServiceException : M365Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">A stable id.</param>
        /// <param name="message">What happened.</param>
        /// <param name="recommendedAction">What to do, or null.</param>
        /// <param name="target">The failing input.</param>
        /// <param name="cause">The HTTP failure behind it, or null; its status, service message and request id are copied.</param>
        public M365ServiceException(string errorId, string message, string? recommendedAction, object? target, M365HttpException? cause = null)
            : base(errorId, message, recommendedAction, target, cause)
        {
            StatusCode = cause?.StatusCode;
            ServiceErrorCode = cause?.ServiceErrorCode;
            ServiceMessage = cause?.ServiceMessage;
            RequestId = cause?.RequestId;
        }

        /// <summary>The HTTP status of the failed answer, or null.</summary>
        public int? StatusCode { get; }

        /// <summary>The service's own error code, or null.</summary>
        public string? ServiceErrorCode { get; }

        /// <summary>The service's own error message (redacted, shortened), or null.</summary>
        public string? ServiceMessage { get; }

        /// <summary>The service's request id, for a support case, or null.</summary>
        public string? RequestId { get; }

        /// <summary>Wraps an HTTP failure so its target is the caller's input; keeps the HTTP error id.</summary>
        internal static M365ServiceException ForInput(M365HttpException cause, object? target) =>
            new M365ServiceException(cause.ErrorId, cause.Message, cause.RecommendedAction, target, cause);
    }
}
