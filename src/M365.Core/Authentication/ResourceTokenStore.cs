using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// The per-connection cache of access tokens, one per resource (keyed by origin), modelled on Azure.Core's
    /// BearerTokenAuthenticationPolicy:
    /// <list type="bullet">
    /// <item>a token outside the refresh-ahead window is returned with no work (a dictionary lookup and a clock read);</item>
    /// <item>inside the window the still-valid token is returned and one background refresh starts; a transient failure of
    /// that refresh keeps the old token in service until it expires;</item>
    /// <item>an expired or missing token makes callers await one shared request per resource (single-flight); a caller
    /// that cancels stops waiting without cancelling the request for the others.</item>
    /// </list>
    /// Thread-safe.
    /// </summary>
    public sealed class ResourceTokenStore
    {
        private readonly ITokenAcquirer _acquirer;
        private readonly TimeProvider _time;
        private readonly TimeSpan _refreshAhead;
        private readonly TimeSpan _refreshRetryDelay;
        private readonly ConcurrentDictionary<string, TokenSlot> _slots = new ConcurrentDictionary<string, TokenSlot>(StringComparer.Ordinal);
        private volatile bool _closed;
        private readonly TokenErrorLog _errors = new TokenErrorLog();

        /// <summary>Creates an empty store.</summary>
        /// <param name="acquirer">Gets new tokens from the identity provider.</param>
        /// <param name="timeProvider">The clock (a fake one in tests).</param>
        /// <param name="options">Timing; null for the defaults.</param>
        public ResourceTokenStore(ITokenAcquirer acquirer, TimeProvider timeProvider, TokenStoreOptions? options = null)
        {
            _acquirer = acquirer ?? throw new ArgumentNullException(nameof(acquirer));
            _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
            options ??= new TokenStoreOptions();
            if (options.RefreshAhead < TimeSpan.Zero || options.RefreshAhead > TokenStoreOptions.MaxRefreshAhead)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.RefreshAhead, $"RefreshAhead must be from 0 to {TokenStoreOptions.MaxRefreshAhead}.");
            }

            if (options.RefreshRetryDelay < TimeSpan.Zero || options.RefreshRetryDelay > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.RefreshRetryDelay, "RefreshRetryDelay must be from 0 to 1 hour.");
            }

            _refreshAhead = options.RefreshAhead;
            _refreshRetryDelay = options.RefreshRetryDelay;
        }

        /// <summary>Gets a valid token for <paramref name="resource"/>, from the cache when possible.</summary>
        /// <param name="resource">The resource.</param>
        /// <param name="cancellationToken">Stops this caller's wait; a shared request others wait for goes on.</param>
        /// <exception cref="M365AuthenticationException">The token could not be obtained (see its ErrorId).</exception>
        public Task<AccessToken> GetTokenAsync(M365Resource resource, CancellationToken cancellationToken = default) =>
            GetTokenAsync(resource, forceRefresh: false, cancellationToken);

        /// <summary>Gets a token for <paramref name="resource"/>; with <paramref name="forceRefresh"/> a new one even if the cached one looks valid (e.g. after a 401).</summary>
        /// <param name="resource">The resource.</param>
        /// <param name="forceRefresh">Bypass the cache. Concurrent forced callers still share one request.</param>
        /// <param name="cancellationToken">Stops this caller's wait; a shared request others wait for goes on.</param>
        /// <exception cref="M365AuthenticationException">The token could not be obtained (see its ErrorId).</exception>
        public Task<AccessToken> GetTokenAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken = default)
        {
            if (resource is null)
            {
                throw new ArgumentNullException(nameof(resource));
            }

            // The hot path: no lock, no allocation.
            if (_closed)
            {
                return Task.FromException<AccessToken>(ClosedException(resource));
            }

            if (!forceRefresh && _slots.TryGetValue(resource.Key, out TokenSlot? slot))
            {
                CachedToken? cached = slot.Current;
                if (cached != null && _time.GetUtcNow() < cached.RefreshAt)
                {
                    return cached.Completed;
                }
            }

            return GetTokenSlowAsync(resource, forceRefresh, cancellationToken);
        }

        /// <summary>What is cached, per resource, without the tokens.</summary>
        public IReadOnlyList<CachedTokenInfo> Snapshot() =>
            _slots.Values
                .Select(slot => slot.Current)
                .Where(cached => cached != null)
                .Select(cached => new CachedTokenInfo(cached!.Token))
                .OrderBy(info => info.Resource.Key, StringComparer.Ordinal)
                .ToList();

        /// <summary>The last sign-in and token errors this store met (AADSTS codes with their fixes), oldest first; never a token.</summary>
        public IReadOnlyList<TokenError> RecentErrors => _errors.Snapshot();

        /// <summary>True once <see cref="Close"/> ran: every request then fails with <see cref="AuthenticationErrorIds.ConnectionClosed"/>.</summary>
        public bool IsClosed => _closed;

        /// <summary>
        /// Refuses every later request (<see cref="AuthenticationErrorIds.ConnectionClosed"/>), cancels the requests in flight and
        /// forgets every token. A request that finishes after this never fills a slot again. Used on disconnect.
        /// </summary>
        public void Close()
        {
            _closed = true;
            Clear();
        }

        /// <summary>Forgets every token and cancels requests in flight.</summary>
        public void Clear()
        {
            foreach (KeyValuePair<string, TokenSlot> pair in _slots)
            {
                if (_slots.TryRemove(pair.Key, out TokenSlot? removed))
                {
                    SharedTokenRequest? inFlight;
                    lock (removed.Gate)
                    {
                        inFlight = removed.InFlight;
                        removed.InFlight = null;
                        removed.Current = null;
                    }

                    inFlight?.Cancel();
                }
            }
        }

        /// <summary>Caches a token obtained outside the store (the initial sign-in), so its first use costs nothing.</summary>
        internal void Seed(AccessToken token)
        {
            TokenSlot slot = _slots.GetOrAdd(token.Resource.Key, _ => new TokenSlot(token.Resource));
            lock (slot.Gate)
            {
                slot.Current = new CachedToken(token, RefreshPoint(token, _time.GetUtcNow()));
                slot.SignInFailure = null;
            }
        }

        private async Task<AccessToken> GetTokenSlowAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (resource.DelegatedOnly && _acquirer.IsAppOnly)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.YammerRequiresDelegatedAuth,
                    $"{resource.Kind} accepts only delegated (user) tokens, and this connection signed in as an application.",
                    "Connect-M365 with a user sign-in (device code) to use " + resource.Kind + ".",
                    target: resource.ResourceId);
            }

            TokenSlot slot = _slots.GetOrAdd(resource.Key, _ => new TokenSlot(resource));
            if (_closed)
            {
                // Close() may have emptied the slots before this one was added: take it out again.
                _slots.TryRemove(resource.Key, out _);
                throw ClosedException(resource);
            }

            AccessToken? stillValid = null;
            SharedTokenRequest? toStart = null;
            SharedTokenRequest? request = null;
            lock (slot.Gate)
            {
                DateTimeOffset now = _time.GetUtcNow();
                CachedToken? cached = slot.Current;
                if (!forceRefresh && cached != null && now < cached.Token.ExpiresOn)
                {
                    stillValid = cached.Token;
                    if (now >= cached.RefreshAt && slot.InFlight is null && now >= slot.NextBackgroundAttempt)
                    {
                        // Forced, because a token inside our window may still look fresh to the cache beneath (MSAL's).
                        toStart = slot.InFlight = new SharedTokenRequest(forceRefresh: true, background: true, ++slot.LastGeneration);
                    }
                }
                else
                {
                    if (!forceRefresh && slot.SignInFailure != null)
                    {
                        slot.SignInFailure.Throw();
                    }

                    SharedTokenRequest? inFlight = slot.InFlight;
                    if (inFlight != null && (inFlight.ForceRefresh || !forceRefresh) && inFlight.TryJoin())
                    {
                        request = inFlight;
                    }
                    else
                    {
                        request = toStart = slot.InFlight = new SharedTokenRequest(forceRefresh, background: false, ++slot.LastGeneration);
                        request.TryJoin();
                    }
                }
            }

            // Started outside the lock: the acquirer may complete synchronously and its completion takes the lock.
            if (toStart != null)
            {
                _ = RunAsync(slot, toStart);
            }

            if (stillValid != null)
            {
                return stillValid;
            }

            return await WaitAsync(request!, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Answers a Continuous Access Evaluation challenge: gets a token that carries <paramref name="claims"/> from the identity
        /// provider (never from a cache) and puts it in place of the cached one. Concurrent callers with the same challenge share
        /// one request, and a caller that comes after it finished gets its token without a new request.
        /// </summary>
        /// <param name="resource">The resource that challenged.</param>
        /// <param name="claims">The decoded claims request from the resource's <c>WWW-Authenticate</c>.</param>
        /// <param name="rejected">The token the resource refused.</param>
        /// <param name="cancellationToken">Stops this caller's wait; a shared request others wait for goes on.</param>
        /// <exception cref="M365AuthenticationException">The token could not be obtained (see its ErrorId).</exception>
        internal async Task<AccessToken> GetTokenWithClaimsAsync(M365Resource resource, string claims, AccessToken rejected, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_closed)
            {
                throw ClosedException(resource);
            }

            if (!(_acquirer is IClaimsTokenAcquirer))
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.ClaimsChallengeFailed,
                    $"{resource.ResourceId} asked for a token with additional claims (Continuous Access Evaluation), and this connection cannot request one.",
                    "Run Connect-M365 again.",
                    target: resource.ResourceId);
            }

            TokenSlot slot = _slots.GetOrAdd(resource.Key, _ => new TokenSlot(resource));
            SharedTokenRequest? toStart = null;
            SharedTokenRequest request;
            lock (slot.Gate)
            {
                CachedToken? cached = slot.Current;
                if (cached != null
                    && string.Equals(cached.Claims, claims, StringComparison.Ordinal)
                    && !string.Equals(cached.Token.Token, rejected.Token, StringComparison.Ordinal)
                    && _time.GetUtcNow() < cached.Token.ExpiresOn)
                {
                    // Another caller already answered this challenge.
                    return cached.Token;
                }

                SharedTokenRequest? inFlight = slot.InFlight;
                if (inFlight != null && string.Equals(inFlight.Claims, claims, StringComparison.Ordinal) && inFlight.TryJoin())
                {
                    request = inFlight;
                }
                else
                {
                    request = toStart = slot.InFlight = new SharedTokenRequest(forceRefresh: true, background: false, ++slot.LastGeneration, claims);
                    request.TryJoin();
                }
            }

            if (_closed)
            {
                _slots.TryRemove(resource.Key, out _);
                throw ClosedException(resource);
            }

            if (toStart != null)
            {
                _ = RunAsync(slot, toStart);
            }

            return await WaitAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<AccessToken> WaitAsync(SharedTokenRequest request, CancellationToken cancellationToken)
        {
            bool gaveUp = false;
            try
            {
                return await request.Task.WaitWithCancellationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                gaveUp = true;
                throw;
            }
            finally
            {
                request.Leave(gaveUp);
            }
        }

        private async Task RunAsync(TokenSlot slot, SharedTokenRequest request)
        {
            try
            {
                AccessToken token = request.Claims is null
                    ? await _acquirer.AcquireAsync(slot.Resource, request.ForceRefresh, request.CancellationToken).ConfigureAwait(false)
                    : await ((IClaimsTokenAcquirer)_acquirer).AcquireWithClaimsAsync(slot.Resource, request.Claims, request.CancellationToken).ConfigureAwait(false);
                lock (slot.Gate)
                {
                    if (_closed)
                    {
                        // Disconnected while this request ran: its token goes to nobody.
                        throw ClosedException(slot.Resource);
                    }

                    // A request started earlier (e.g. a background refresh without the claims) must not replace a newer token.
                    if (request.Generation >= slot.CurrentGeneration)
                    {
                        slot.Current = new CachedToken(token, RefreshPoint(token, _time.GetUtcNow()), request.Claims);
                        slot.CurrentGeneration = request.Generation;
                    }

                    slot.SignInFailure = null;
                    if (slot.InFlight == request)
                    {
                        slot.InFlight = null;
                    }
                }

                request.Complete(token);
            }
            catch (Exception ex)
            {
                lock (slot.Gate)
                {
                    if (slot.InFlight == request)
                    {
                        slot.InFlight = null;
                    }

                    if (request.IsBackground)
                    {
                        slot.NextBackgroundAttempt = _time.GetUtcNow() + _refreshRetryDelay;
                    }

                    if (ex is M365AuthenticationException { RequiresSignIn: true })
                    {
                        slot.SignInFailure = ExceptionDispatchInfo.Capture(ex);
                    }
                }

                if (ex is M365AuthenticationException failure && !_closed && failure.ErrorId != AuthenticationErrorIds.ConnectionClosed)
                {
                    _errors.Record(new TokenError(failure, slot.Resource.ResourceId, _time.GetUtcNow()));
                }

                // After Close() the cancelled (or refused) request tells its waiters why, with the one id.
                request.Fail(_closed ? ClosedException(slot.Resource) : ex);
            }
        }

        private static M365AuthenticationException ClosedException(M365Resource resource) =>
            new M365AuthenticationException(
                AuthenticationErrorIds.ConnectionClosed,
                "This connection was disconnected (Disconnect-M365): it gets no token and sends no request any more.",
                "Run Connect-M365 again, and use the new connection.",
                target: resource.ResourceId);

        private DateTimeOffset RefreshPoint(AccessToken token, DateTimeOffset now)
        {
            DateTimeOffset refreshAt = token.ExpiresOn - _refreshAhead;
            if (refreshAt <= now && token.ExpiresOn > now)
            {
                // A token shorter-lived than the window would otherwise trigger a refresh on every call: renew at half-life.
                refreshAt = now + TimeSpan.FromTicks((token.ExpiresOn - now).Ticks / 2);
            }

            return refreshAt;
        }
    }
}
