using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Sends many Graph requests in JSON batches of 20 with a few batches in flight at once, and gives the answers back in
    /// input order as soon as they are ready. Items answered 429 or 503 (504 for reads) wait for their Retry-After (else an
    /// exponential back-off) and then ride in the next batches with the new requests, each for at most the retry count of
    /// the sender. A Retry-After, of an item or of a whole batch, holds every batch of the stream (a shared gate). At most a
    /// window of requests is held between <see cref="TryAdd"/> and <see cref="TryTake"/>. Made by <see cref="GraphBatchSender.Open"/>;
    /// one producer and consumer at a time (the batches themselves run concurrently).
    /// </summary>
    public sealed class GraphBatchStream : IOrderedWindow<GraphBatchRequest, GraphBatchResponse>, IDisposable
    {
        private readonly GraphBatchSender _owner;
        private readonly ResourceRequestSender _sender;
        private readonly TimeProvider _time;
        private readonly HttpRetryOptions _options;
        private readonly int _maxInFlight;
        private readonly ThrottleGate _gate = new ThrottleGate();
        private readonly CancellationTokenSource _cts;
        private readonly object _lock = new object();
        private readonly GraphBatchQueue _queue = new GraphBatchQueue();
        private readonly Dictionary<int, GraphBatchResponse> _done = new Dictionary<int, GraphBatchResponse>();
        private int _added;
        private int _taken;
        private int _inFlight;
        private bool _completed;
        private bool _disposed;
        private Exception? _fault;
        private ITimer? _timer;
        private DateTimeOffset _timerDue;
        private TaskCompletionSource<bool>? _waiter;

        internal GraphBatchStream(GraphBatchSender owner, ResourceRequestSender sender, int maxInFlight, CancellationToken cancellationToken)
        {
            _owner = owner;
            _sender = sender.WithThrottleGate(_gate);
            _time = sender.Time;
            _options = sender.Options;
            _maxInFlight = maxInFlight;
            // Four rounds of batches: a head-of-line item waiting for its Retry-After rarely fills it (which forces a partial batch).
            Window = maxInFlight * GraphBatchSender.MaxRequestsPerBatch * 4;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>The most requests held at once, added but not yet taken.</summary>
        public int Window { get; }

        /// <summary>The batches sent so far, whole-batch resends by the pipeline not counted.</summary>
        public int BatchesSent { get; private set; }

        /// <summary>The batches in flight now.</summary>
        internal int InFlight
        {
            get
            {
                lock (_lock)
                {
                    return _inFlight;
                }
            }
        }

        /// <summary>Queues a request; false (nothing queued) when the window is full: take answers, or wait, then try again.</summary>
        /// <param name="request">The request.</param>
        /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called.</exception>
        /// <exception cref="Exception">The failure that stopped the stream (no token, cancellation).</exception>
        public bool TryAdd(GraphBatchRequest request)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            lock (_lock)
            {
                ThrowIfStopped();
                if (_completed)
                {
                    throw new InvalidOperationException("The input of this batch stream is complete.");
                }

                if (_added - _taken >= Window)
                {
                    return false;
                }

                _queue.Add(new GraphBatchItem(_added++, request));
                Dispatch();
                return true;
            }
        }

        /// <summary>Says that no more requests come, so a last partial batch goes out.</summary>
        public void Complete()
        {
            lock (_lock)
            {
                _completed = true;
                Dispatch();
                Signal();
            }
        }

        /// <summary>Takes the next answer in input order, if it is ready.</summary>
        /// <param name="answer">The answer, or null.</param>
        /// <exception cref="Exception">The failure that stopped the stream, once the answers before it are taken.</exception>
        public bool TryTake([NotNullWhen(true)] out GraphBatchResponse? answer)
        {
            lock (_lock)
            {
                if (_done.TryGetValue(_taken, out answer))
                {
                    _done.Remove(_taken++);
                    return true;
                }

                ThrowIfStopped();
                return false;
            }
        }

        /// <summary>
        /// Waits until the next answer is ready, the window has room again or the stream ends: true to look again, false once
        /// the input is complete and every answer taken.
        /// </summary>
        /// <param name="cancellationToken">Stops the wait (the batches stop with the token the stream was opened with).</param>
        public Task<bool> WaitAsync(CancellationToken cancellationToken = default)
        {
            Task<bool> wait;
            lock (_lock)
            {
                if (_done.ContainsKey(_taken) || _fault != null || (!_completed && _added - _taken < Window))
                {
                    return Task.FromResult(true);
                }

                if (_completed && _taken == _added)
                {
                    return Task.FromResult(false);
                }

                _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            return cancellationToken.CanBeCanceled ? OrderedWindow.WaitAsync(wait, cancellationToken) : wait;
        }

        /// <summary>Ends the input and streams every answer still to come, in input order.</summary>
        /// <param name="cancellationToken">Stops the wait.</param>
        public IAsyncEnumerable<GraphBatchResponse> ReadRemainingAsync(CancellationToken cancellationToken = default) => OrderedWindow.RemainingAsync(this, cancellationToken);

        /// <summary>Cancels the batches in flight; nothing more is sent.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _fault ??= new ObjectDisposedException(nameof(GraphBatchStream));
                _timer?.Dispose();
                _timer = null;
                Signal();
            }

            _cts.Cancel();
            _cts.Dispose();
        }

        private void ThrowIfStopped()
        {
            if (_fault != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_fault).Throw();
            }
        }

        private void Signal()
        {
            TaskCompletionSource<bool>? waiter = _waiter;
            _waiter = null;
            waiter?.TrySetResult(true);
        }

        /// <summary>Sends what may go now. Under the lock.</summary>
        private void Dispatch()
        {
            if (_fault != null)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            DateTimeOffset? later = null;
            while (_inFlight < _maxInFlight)
            {
                if (_gate.Until > now)
                {
                    later = _gate.Until;
                    break;
                }

                (int available, int dueRetries) = _queue.Count(now);
                if (available == 0 || (available < GraphBatchSender.MaxRequestsPerBatch && !MayGoPartial(dueRetries)))
                {
                    break;
                }

                List<GraphBatchItem> batch = _queue.Take(now);
                _inFlight++;
                BatchesSent++;
                _ = Task.Run(() => RunAsync(batch));
            }

            DateTimeOffset? retry = _queue.NextDue(now);
            later = later is null || (retry != null && retry < later) ? retry ?? later : later;
            if (later is DateTimeOffset due)
            {
                WakeAt(due, now);
            }
        }

        /// <summary>
        /// A batch of fewer than 20 waits while others are in flight (their throttled items can join it) and while more input
        /// may come; it goes when nothing is in flight and the input is complete, retries are due, or the window is full while
        /// the next answer is not ready (the consumer could not make room).
        /// </summary>
        private bool MayGoPartial(int readyRetries) =>
            _inFlight == 0 && (_completed || readyRetries > 0 || (_added - _taken >= Window && !_done.ContainsKey(_taken)));

        private void WakeAt(DateTimeOffset due, DateTimeOffset now)
        {
            if (_timer != null && _timerDue <= due)
            {
                return;
            }

            _timer?.Dispose();
            _timerDue = due;
            _timer = _time.CreateTimer(_ => OnTimer(), null, due - now, Timeout.InfiniteTimeSpan);
        }

        private void OnTimer()
        {
            lock (_lock)
            {
                _timer?.Dispose();
                _timer = null;
                Dispatch();
            }
        }

        private async Task RunAsync(List<GraphBatchItem> batch)
        {
            GraphBatchOutcome[]? outcomes = null;
            M365HttpException? failed = null;
            Exception? fault = null;
            foreach (GraphBatchItem item in batch)
            {
                item.Attempts++;
            }

            try
            {
                outcomes = await _owner.PostAsync(batch, _sender, _cts.Token).ConfigureAwait(false);
            }
            catch (M365HttpException ex) when (!_cts.IsCancellationRequested)
            {
                failed = ex;
            }
            catch (Exception ex)
            {
                fault = ex;
            }

            string? throttled = null;
            lock (_lock)
            {
                _inFlight--;
                if (fault != null)
                {
                    _fault ??= fault;
                }
                else if (failed != null)
                {
                    // The batch failed as a whole after the pipeline's retries: each of its requests failed, the others go on.
                    batch.ForEach(item => _done[item.Index] = GraphBatchWire.Failed(item, failed));
                }
                else
                {
                    throttled = _queue.Requeue(_owner.BatchUrl.AbsoluteUri, batch, outcomes!, _time.GetUtcNow(), _options, _gate, (index, answer) => _done[index] = answer);
                }

                Dispatch();
                Signal();
            }

            if (fault != null)
            {
                // Nothing more can succeed (no token, cancelled): stop the other batches too. Outside the lock, since
                // cancellation runs their callbacks.
                Cancel();
            }

            if (throttled != null)
            {
                _sender.Log(throttled);
            }
        }

        private void Cancel()
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: already cancelled.
            }
        }
    }
}
