using System;

namespace M365.Core.Authentication
{
    /// <summary>Timing of <see cref="ResourceTokenStore"/>.</summary>
    public sealed class TokenStoreOptions
    {
        /// <summary>How long before expiry a background refresh starts while the old token is still served. Default 5 minutes.</summary>
        public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How long to wait after a failed background refresh before trying again. Default 30 seconds.</summary>
        public TimeSpan RefreshRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    }
}
