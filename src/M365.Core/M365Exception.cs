using System;

namespace M365.Core
{
    /// <summary>
    /// An error raised by M365.Core. <see cref="ErrorId"/> is stable (a constant from one of the
    /// <c>*ErrorIds</c> classes) so the cmdlet layer can build an ErrorRecord and tests can assert on it.
    /// The message says what happened; <see cref="RecommendedAction"/> says what to do.
    /// Neither ever contains a token, secret or password.
    /// </summary>
    public class M365Exception : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">A stable id of the form <c>NounProblem</c>.</param>
        /// <param name="message">What happened.</param>
        /// <param name="recommendedAction">What the user should do, or null.</param>
        /// <param name="target">The failing input (a URL, a name, a path), or null.</param>
        /// <param name="innerException">The underlying cause, or null.</param>
        public M365Exception(string errorId, string message, string? recommendedAction = null, object? target = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            RecommendedAction = recommendedAction;
            Target = target;
        }

        /// <summary>The stable error id, e.g. <c>ReauthenticationRequired</c>.</summary>
        public string ErrorId { get; }

        /// <summary>What the user should do next, or null when there is nothing specific.</summary>
        public string? RecommendedAction { get; }

        /// <summary>The input that caused the error (for the ErrorRecord target), or null.</summary>
        public object? Target { get; }
    }
}
