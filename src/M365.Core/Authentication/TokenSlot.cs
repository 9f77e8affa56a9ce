using System;
using System.Runtime.ExceptionServices;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>The store's state for one resource. Fields other than <see cref="Current"/> are guarded by <see cref="Gate"/>.</summary>
    internal sealed class TokenSlot
    {
        private volatile CachedToken? _current;

        public TokenSlot(M365Resource resource) => Resource = resource;

        public M365Resource Resource { get; }

        public object Gate { get; } = new object();

        /// <summary>Read without the lock on the hot path; written under <see cref="Gate"/>.</summary>
        public CachedToken? Current
        {
            get => _current;
            set => _current = value;
        }

        public SharedTokenRequest? InFlight { get; set; }

        /// <summary>A failure that only a new sign-in fixes, remembered so callers after expiry get it at once.</summary>
        public ExceptionDispatchInfo? SignInFailure { get; set; }

        public DateTimeOffset NextBackgroundAttempt { get; set; }

        /// <summary>The generation of the last request started (see <see cref="SharedTokenRequest.Generation"/>).</summary>
        public long LastGeneration { get; set; }

        /// <summary>The generation of the request that produced <see cref="Current"/>.</summary>
        public long CurrentGeneration { get; set; }
    }
}
