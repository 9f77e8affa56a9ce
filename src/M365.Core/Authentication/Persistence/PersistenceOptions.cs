using System;
using System.IO;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// Opt-in persistence of a delegated sign-in across sessions (Connect-M365 -PersistLogin). By default nothing is
    /// persisted. When enabled, MSAL's token cache goes to the OS keyring (DPAPI on Windows, Keychain on macOS, libsecret on
    /// Linux) through Microsoft.Identity.Client.Extensions.Msal; a plaintext file (mode 0600) only with <see cref="AllowUnencrypted"/>.
    /// Secrets, passwords and private keys are never written, and app-only sign-ins persist nothing.
    /// </summary>
    public sealed class PersistenceOptions
    {
        /// <summary>Persist the token cache and a connection record (-PersistLogin). Default false.</summary>
        public bool Enabled { get; set; }

        /// <summary>Where no keyring is available, fall back to a plaintext file readable only by the user (-AllowUnencryptedTokenCache). Default false.</summary>
        public bool AllowUnencrypted { get; set; }

        /// <summary>The folder of the caches and connection records. Default <see cref="DefaultCacheDirectory"/>; must be an absolute path.</summary>
        public string CacheDirectory { get; set; } = DefaultCacheDirectory;

        /// <summary>
        /// The sandbox descriptor the session transport was made from, or null in production. It is recorded so that a later
        /// reconnect can rebuild the same transport; tokens issued by the sandbox never go to a real host, and vice versa.
        /// </summary>
        public string? SandboxDescriptorPath { get; set; }

        /// <summary>~/.m365 (the user profile's .m365 folder).</summary>
        public static string DefaultCacheDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".m365");

        /// <summary>
        /// Reads environment variables; replaced by tests so they can pose as Azure Automation without touching the process environment.
        /// </summary>
        internal Func<string, string?> ReadEnvironment { get; set; } = Environment.GetEnvironmentVariable;

        /// <summary>
        /// The file-name stem of a connection's cache and record: the connection name reduced to safe characters (no path
        /// separators, no leading dot), lower-cased, plus a hash of the full name so that different names never share files.
        /// </summary>
        /// <param name="connectionName">The connection's name.</param>
        public static string CacheNameFor(string connectionName) => CacheName.From(connectionName);
    }
}
