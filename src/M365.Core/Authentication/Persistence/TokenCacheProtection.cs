namespace M365.Core.Authentication.Persistence
{
    /// <summary>Where a connection's MSAL token cache lives.</summary>
    public enum TokenCacheProtection
    {
        /// <summary>In memory only, for this session (the default).</summary>
        InMemory,

        /// <summary>Persisted through the OS: DPAPI (Windows), Keychain (macOS) or libsecret (Linux).</summary>
        Encrypted,

        /// <summary>Persisted in a plaintext file readable only by the user (mode 0600), by explicit choice.</summary>
        Unencrypted,
    }
}
