using System;

namespace M365.Core.Authentication
{
    /// <summary>What to show the user during device-code sign-in.</summary>
    public sealed class DeviceCodePrompt
    {
        /// <summary>Creates the prompt.</summary>
        /// <param name="userCode">The code the user types.</param>
        /// <param name="verificationUrl">Where the user types it.</param>
        /// <param name="message">Entra ID's ready-made instruction text.</param>
        /// <param name="expiresOn">When the code stops working.</param>
        public DeviceCodePrompt(string userCode, Uri verificationUrl, string message, DateTimeOffset expiresOn)
        {
            UserCode = userCode;
            VerificationUrl = verificationUrl;
            Message = message;
            ExpiresOn = expiresOn;
        }

        /// <summary>The code the user types at <see cref="VerificationUrl"/>.</summary>
        public string UserCode { get; }

        /// <summary>The sign-in page, e.g. https://microsoft.com/devicelogin.</summary>
        public Uri VerificationUrl { get; }

        /// <summary>Entra ID's instruction text (contains the code and the URL).</summary>
        public string Message { get; }

        /// <summary>When the code expires (normally 15 minutes after it was issued).</summary>
        public DateTimeOffset ExpiresOn { get; }

        /// <inheritdoc />
        public override string ToString() => Message;
    }
}
