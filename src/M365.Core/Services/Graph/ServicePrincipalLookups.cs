using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Service principal lookups in Graph batches, for inputs that arrive one by one: <see cref="TryAdd"/> each, and
    /// <see cref="TryTake"/> the results in input order as they are ready (a few batches are in flight meanwhile); one input's
    /// failure (not found, throttled beyond the retries, its batch failed) is its result's error. Made by
    /// <see cref="ServicePrincipalClient.OpenLookups"/>; one caller at a time.
    /// </summary>
    public sealed class ServicePrincipalLookups : IOrderedWindow<ServicePrincipalLookup, ServicePrincipalResult>, IDisposable
    {
        private readonly GraphBatchStream _batches;
        private readonly Func<ServicePrincipalLookup, GraphBatchRequest> _request;
        private readonly Func<ServicePrincipalLookup, GraphBatchResponse, ServicePrincipalResult> _result;
        private readonly Queue<ServicePrincipalLookup> _pending = new Queue<ServicePrincipalLookup>();

        internal ServicePrincipalLookups(
            GraphBatchStream batches,
            Func<ServicePrincipalLookup, GraphBatchRequest> request,
            Func<ServicePrincipalLookup, GraphBatchResponse, ServicePrincipalResult> result)
        {
            _batches = batches;
            _request = request;
            _result = result;
        }

        /// <summary>The most lookups held at once, added but not yet taken.</summary>
        public int Window => _batches.Window;

        /// <summary>The lookups added whose results are not taken yet, in input order.</summary>
        public IReadOnlyCollection<ServicePrincipalLookup> Pending => _pending;

        /// <summary>Queues a lookup; false (nothing queued) when the window is full: take results, or wait, then try again.</summary>
        /// <param name="lookup">The lookup.</param>
        /// <exception cref="Exception">The failure that stopped the batches (no token, cancellation).</exception>
        public bool TryAdd(ServicePrincipalLookup lookup)
        {
            if (!_batches.TryAdd(_request(lookup ?? throw new ArgumentNullException(nameof(lookup)))))
            {
                return false;
            }

            _pending.Enqueue(lookup);
            return true;
        }

        /// <summary>Takes the next result in input order, if it is ready.</summary>
        /// <param name="result">The result, or null.</param>
        /// <exception cref="Exception">The failure that stopped the batches, once the results before it are taken.</exception>
        public bool TryTake([NotNullWhen(true)] out ServicePrincipalResult? result)
        {
            if (!_batches.TryTake(out GraphBatchResponse? answer))
            {
                result = null;
                return false;
            }

            result = _result(_pending.Dequeue(), answer);
            return true;
        }

        /// <summary>Waits until a result is ready, the window has room or the lookups end (false: complete and every result taken).</summary>
        /// <param name="cancellationToken">Stops the wait.</param>
        public Task<bool> WaitAsync(CancellationToken cancellationToken = default) => _batches.WaitAsync(cancellationToken);

        /// <summary>Says that no more lookups come.</summary>
        public void Complete() => _batches.Complete();

        /// <summary>Ends the input and streams every result still to come, in input order.</summary>
        /// <param name="cancellationToken">Stops the wait.</param>
        public IAsyncEnumerable<ServicePrincipalResult> ReadRemainingAsync(CancellationToken cancellationToken = default) => OrderedWindow.RemainingAsync(this, cancellationToken);

        /// <summary>Cancels the batches in flight; the lookups still <see cref="Pending"/> get no result.</summary>
        public void Dispose() => _batches.Dispose();
    }
}
