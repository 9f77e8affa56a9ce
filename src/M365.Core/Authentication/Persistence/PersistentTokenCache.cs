using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensions.Msal;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>
    /// One connection's MSAL user token cache in persistent storage, through MsalCacheHelper: the OS keyring when
    /// <c>VerifyPersistence()</c> passes, else (only when allowed) a plaintext file that MSAL creates with mode 0600.
    /// </summary>
    internal sealed class PersistentTokenCache
    {
        private const string KeyringSchema = "com.m365.tokencache";
        private const string KeychainService = "M365.TokenCache";
        private readonly MsalCacheHelper _helper;
        private ITokenCache? _attached;

        private PersistentTokenCache(MsalCacheHelper helper, CachePaths paths, TokenCacheProtection protection)
        {
            _helper = helper;
            Paths = paths;
            Protection = protection;
        }

        public CachePaths Paths { get; }

        public TokenCacheProtection Protection { get; }

        /// <summary>
        /// Opens (and verifies) the storage of <paramref name="paths"/>.
        /// </summary>
        /// <param name="options">The persistence options (environment reader, directory).</param>
        /// <param name="paths">The connection's files.</param>
        /// <param name="allowUnencrypted">Fall back to a plaintext file when the keyring fails.</param>
        /// <param name="cancellationToken">Checked between the steps (MSAL's cache helper takes none).</param>
        /// <exception cref="M365AuthenticationException">
        /// <see cref="AuthenticationErrorIds.TokenCachePersistenceUnavailable"/> (no keyring and no fallback, or Azure Automation)
        /// or <see cref="AuthenticationErrorIds.TokenCachePathInvalid"/> (a symlink, or a path that cannot be made private).
        /// </exception>
        public static async Task<PersistentTokenCache> OpenAsync(PersistenceOptions options, CachePaths paths, bool allowUnencrypted, CancellationToken cancellationToken)
        {
            if (HostEnvironment.IsAzureAutomation(options.ReadEnvironment))
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePersistenceUnavailable,
                    "Sign-ins are never persisted in Azure Automation: a runbook must not write tokens to the sandbox it runs in.",
                    "Drop -PersistLogin (and -Name reconnects) in runbooks; sign in with Connect-M365 -ManagedIdentity or a certificate on each run.",
                    target: paths.Directory);
            }

            SecureFiles.EnsurePrivateDirectory(paths.Directory);
            foreach (string file in paths.All)
            {
                SecureFiles.RestrictToOwner(file);
            }

            cancellationToken.ThrowIfCancellationRequested();
            MsalCachePersistenceException keyringFailure;
            try
            {
                MsalCacheHelper helper = await MsalCacheHelper.CreateAsync(Encrypted(paths)).ConfigureAwait(false);
                helper.VerifyPersistence();
                return new PersistentTokenCache(helper, paths, TokenCacheProtection.Encrypted);
            }
            catch (MsalCachePersistenceException ex)
            {
                keyringFailure = ex;
            }

            if (!allowUnencrypted)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePersistenceUnavailable,
                    "The sign-in cannot be persisted encrypted: no usable keyring (libsecret on Linux, Keychain on macOS, DPAPI on Windows) is available here ("
                    + Reason(keyringFailure) + ").",
                    "Install and unlock a keyring (e.g. gnome-keyring with libsecret), or add -AllowUnencryptedTokenCache to store the cache in a plaintext file readable only by you, or drop -PersistLogin.",
                    target: paths.Directory,
                    innerException: keyringFailure);
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                MsalCacheHelper plaintext = await MsalCacheHelper.CreateAsync(Unencrypted(paths)).ConfigureAwait(false);
                plaintext.VerifyPersistence();
                return new PersistentTokenCache(plaintext, paths, TokenCacheProtection.Unencrypted);
            }
            catch (MsalCachePersistenceException ex)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.TokenCachePersistenceUnavailable,
                    $"The sign-in cannot be persisted: neither a keyring nor the file '{paths.CacheFile}' works ({ex.Message}).",
                    "Check that the cache directory is writable, or drop -PersistLogin.",
                    target: paths.CacheFile,
                    innerException: ex);
            }
        }

        /// <summary>
        /// Makes <paramref name="app"/>'s user cache read from and write to this storage. With <paramref name="carryOver"/>, the
        /// app's current (in-memory) content is written first: the sign-in happens before the connection's name, and so its
        /// storage, is known.
        /// </summary>
        public async Task AttachAsync(IPublicClientApplication app, bool carryOver)
        {
            if (carryOver)
            {
                byte[]? snapshot = null;
                app.UserTokenCache.SetAfterAccess(args => snapshot = args.TokenCache.SerializeMsalV3());
                await app.GetAccountsAsync().ConfigureAwait(false);
                _helper.SaveUnencryptedTokenCache(snapshot ?? throw new InvalidOperationException("MSAL did not expose the token cache after the sign-in."));
            }

            _helper.RegisterCache(app.UserTokenCache);
            _attached = app.UserTokenCache;
            SecureFiles.RestrictToOwner(Paths.CacheFile);
        }

        /// <summary>The warning the cmdlet shows when the cache is a plaintext file, else null.</summary>
        public string? WarningFor(string connectionName) =>
            Protection == TokenCacheProtection.Unencrypted
                ? $"The token cache of connection '{connectionName}' is stored UNENCRYPTED in '{Paths.CacheFile}' (readable only by your account, mode 0600), because no keyring is available. "
                  + "Anyone who can read your files can use its refresh token until it expires; run Disconnect-M365 to delete it."
                : null;

        /// <summary>Deletes the cache (keyring entry and files) and the connection record.</summary>
        public void Delete()
        {
            ITokenCache? attached = Interlocked.Exchange(ref _attached, null);
            if (attached != null)
            {
                _helper.UnregisterCache(attached);
            }

            // The flow has already removed the accounts one by one, as MSAL recommends; Clear() then deletes the storage itself
            // (keyring secret and file), since a disconnected persisted connection must leave nothing behind.
#pragma warning disable CS0618
            _helper.Clear();
#pragma warning restore CS0618
            foreach (string file in Paths.All)
            {
                SecureFiles.Delete(file);
            }
        }

        // The inner exception says what is missing (e.g. "Unable to load shared library 'libsecret-1.so.0'"); its first sentence is enough.
        private static string Reason(Exception failure)
        {
            string message = (failure.InnerException ?? failure).Message;
            int end = message.IndexOfAny(new[] { '\r', '\n' });
            message = end < 0 ? message : message.Substring(0, end);
            int sentence = message.IndexOf(". ", StringComparison.Ordinal);
            return (sentence < 0 ? message : message.Substring(0, sentence)).TrimEnd('.');
        }

        private static StorageCreationProperties Encrypted(CachePaths paths) =>
            Builder(paths)
                .WithMacKeyChain(KeychainService, paths.Stem)
                .WithLinuxKeyring(
                    KeyringSchema,
                    MsalCacheHelper.LinuxKeyRingDefaultCollection,
                    "M365 token cache " + paths.Stem,
                    new KeyValuePair<string, string>("M365Cache", paths.Stem),
                    new KeyValuePair<string, string>("Version", "1"))
                .Build();

        private static StorageCreationProperties Unencrypted(CachePaths paths) => Builder(paths).WithUnprotectedFile().Build();

        private static StorageCreationPropertiesBuilder Builder(CachePaths paths) =>
            new StorageCreationPropertiesBuilder(System.IO.Path.GetFileName(paths.CacheFile), paths.Directory);
    }
}
