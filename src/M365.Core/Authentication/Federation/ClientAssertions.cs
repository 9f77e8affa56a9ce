using System;
using System.Security;

namespace M365.Core.Authentication.Federation
{
    /// <summary>What a caller may learn about a client assertion without seeing it.</summary>
    public static class ClientAssertions
    {
        /// <summary>When the assertion (a JWT) expires, from its <c>exp</c> claim; null when it has none or is no JWT.</summary>
        /// <param name="assertion">The assertion.</param>
        public static DateTimeOffset? ExpiresOn(SecureString assertion) =>
            assertion is null ? null : PresentedAssertion.Read(MsalSetup.Reveal(assertion).Trim()).ExpiresOn;
    }
}
