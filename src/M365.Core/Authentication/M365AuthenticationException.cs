using System;

namespace M365.Core.Authentication
{
    /// <summary>
    /// A sign-in or token failure, with a stable <see cref="M365Exception.ErrorId"/> from <see cref="AuthenticationErrorIds"/>.
    /// The message keeps Entra ID's AADSTS line (it is safe) but never a token, secret or password.
    /// </summary>
    public sealed class M365AuthenticationException : M365Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="errorId">A constant from <see cref="AuthenticationErrorIds"/>.</param>
        /// <param name="message">What happened.</param>
        /// <param name="recommendedAction">What to do, or null.</param>
        /// <param name="aadstsCode">The Entra ID error number (700082 for AADSTS700082), or null.</param>
        /// <param name="target">The failing input (e.g. the resource), or null.</param>
        /// <param name="innerException">The cause, or null.</param>
        public M365AuthenticationException(
            string errorId,
            string message,
            string? recommendedAction = null,
            int? aadstsCode = null,
            object? target = null,
            Exception? innerException = null)
            : base(errorId, message, recommendedAction, target, innerException)
        {
            AadstsCode = aadstsCode;
        }

        /// <summary>The Entra ID error number, e.g. 700082 for AADSTS700082, or null.</summary>
        public int? AadstsCode { get; }

        /// <summary>True when only a new sign-in (Connect-M365) can fix the error.</summary>
        public bool RequiresSignIn => ErrorId == AuthenticationErrorIds.ReauthenticationRequired
            || ErrorId == AuthenticationErrorIds.AccessTokenExpired;
    }
}
