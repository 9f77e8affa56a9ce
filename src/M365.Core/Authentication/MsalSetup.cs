using System;
using System.Runtime.InteropServices;
using System.Security;
using Microsoft.Identity.Client;
using M365.Core.Clouds;
using M365.Core.Http;

namespace M365.Core.Authentication
{
    /// <summary>Wiring shared by the MSAL-based flows.</summary>
    internal static class MsalSetup
    {
        public static string Authority(CloudEnvironment cloud, string tenant) => "https://" + cloud.AuthorityHost + "/" + Uri.EscapeDataString(tenant);

        /// <summary>
        /// The client capabilities every MSAL application declares: <c>cp1</c> tells Entra ID the module handles Continuous Access
        /// Evaluation claims challenges, so resources may revoke its tokens mid-life instead of relying on their expiry.
        /// </summary>
        public static readonly string[] ClientCapabilities = { "cp1" };

        /// <summary>
        /// Sends MSAL's traffic through the session transport and declares <see cref="ClientCapabilities"/>. Against a sandbox,
        /// instance discovery is off: the authority is known, and MSAL caches discovery per process, which would mix sandbox
        /// and real answers.
        /// </summary>
        public static T UseTransport<T>(this T builder, HttpTransport transport)
            where T : AbstractApplicationBuilder<T> =>
            builder.WithHttpClientFactory(transport.MsalFactory).WithInstanceDiscovery(!transport.IsSandbox).WithClientCapabilities(ClientCapabilities);

        /// <summary>MSAL takes secrets only as strings; the conversion happens here, at the last moment, and nowhere else.</summary>
        public static string Reveal(SecureString secret)
        {
            IntPtr pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
