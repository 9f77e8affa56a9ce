using System;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication
{
    /// <summary>
    /// One in-flight token request that many callers await. A caller that gives up leaves without cancelling it;
    /// only when every waiter has given up is the request itself cancelled (so an abandoned device-code prompt stops polling).
    /// </summary>
    internal sealed class SharedTokenRequest
    {
        // Never disposed on purpose: a plain CancellationTokenSource (no timer, no linked token, no wait handle) holds
        // nothing unmanaged, and disposing it would race with a late Cancel from a leaving waiter.
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly TaskCompletionSource<AccessToken> _result =
            new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly object _lock = new object();
        private int _waiters;
        private bool _abandoned;

        public SharedTokenRequest(bool forceRefresh, bool background, long generation, string? claims = null)
        {
            ForceRefresh = forceRefresh;
            IsBackground = background;
            Generation = generation;
            Claims = claims;
        }

        public bool ForceRefresh { get; }

        /// <summary>The order in which the slot started its requests: an older request never replaces a newer one's token.</summary>
        public long Generation { get; }

        /// <summary>The claims challenge this request answers, or null for a plain request.</summary>
        public string? Claims { get; }

        public bool IsBackground { get; }

        public Task<AccessToken> Task => _result.Task;

        public CancellationToken CancellationToken => _cancellation.Token;

        public bool TryJoin()
        {
            lock (_lock)
            {
                if (_abandoned || _result.Task.IsCompleted)
                {
                    return false;
                }

                _waiters++;
                return true;
            }
        }

        public void Leave(bool gaveUp)
        {
            bool cancel = false;
            lock (_lock)
            {
                _waiters--;
                if (gaveUp && _waiters == 0 && !_result.Task.IsCompleted)
                {
                    _abandoned = true;
                    cancel = true;
                }
            }

            if (cancel)
            {
                _cancellation.Cancel();
            }
        }

        public void Cancel()
        {
            lock (_lock)
            {
                _abandoned = true;
            }

            _cancellation.Cancel();
        }

        public void Complete(AccessToken token) => _result.TrySetResult(token);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException canceled)
            {
                _result.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _result.TrySetException(exception);
            }

            // A background refresh may have no waiter; reading Exception marks the fault observed.
            _ = _result.Task.Exception;
        }
    }
}
