using System;

namespace M365.Core.Authentication
{
    /// <summary>Timing of <see cref="ResourceTokenStore"/>.</summary>
    public sealed class TokenStoreOptions
    {
        /// <summary>The longest <see cref="RefreshAhead"/> accepted: access tokens live about an hour, so more makes no sense.</summary>
        public static readonly TimeSpan MaxRefreshAhead = TimeSpan.FromHours(1);

        /// <summary>How long before expiry a background refresh starts while the old token is still served. Default 5 minutes.</summary>
        public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How long to wait after a failed background refresh before trying again. Default 30 seconds.</summary>
        public TimeSpan RefreshRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    }
}
