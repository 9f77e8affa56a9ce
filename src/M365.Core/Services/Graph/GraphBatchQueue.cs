using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// The requests of a batch stream waiting to be sent: new ones in input order, and throttled ones waiting for their time,
    /// which go first once due (they hold up the ordered output). Not thread-safe: the stream's lock guards it.
    /// </summary>
    internal sealed class GraphBatchQueue
    {
        private readonly Queue<GraphBatchItem> _fresh = new Queue<GraphBatchItem>();
        private readonly List<GraphBatchItem> _retry = new List<GraphBatchItem>();
        private readonly Random _jitter = new Random();

        public void Add(GraphBatchItem item) => _fresh.Enqueue(item);

        /// <summary>Queues a throttled item again, to go once <see cref="GraphBatchItem.NotBefore"/> has passed.</summary>
        public void Retry(GraphBatchItem item)
        {
            int at = _retry.FindIndex(i => i.Index > item.Index);
            _retry.Insert(at < 0 ? _retry.Count : at, item);
        }

        /// <summary>How many items could go now, and how many of them are due retries.</summary>
        public (int Available, int DueRetries) Count(DateTimeOffset now)
        {
            int due = 0;
            foreach (GraphBatchItem item in _retry)
            {
                due += item.NotBefore <= now ? 1 : 0;
            }

            return (due + _fresh.Count, due);
        }

        /// <summary>The earliest time a retry not yet due becomes due, or null.</summary>
        public DateTimeOffset? NextDue(DateTimeOffset now)
        {
            DateTimeOffset? next = null;
            foreach (GraphBatchItem item in _retry)
            {
                if (item.NotBefore > now && (next is null || item.NotBefore < next))
                {
                    next = item.NotBefore;
                }
            }

            return next;
        }

        /// <summary>Up to one batch: the due retries first, oldest input first, then new requests.</summary>
        public List<GraphBatchItem> Take(DateTimeOffset now)
        {
            var batch = new List<GraphBatchItem>(GraphBatchSender.MaxRequestsPerBatch);
            for (int k = 0; k < _retry.Count && batch.Count < GraphBatchSender.MaxRequestsPerBatch;)
            {
                if (_retry[k].NotBefore <= now)
                {
                    batch.Add(_retry[k]);
                    _retry.RemoveAt(k);
                }
                else
                {
                    k++;
                }
            }

            while (batch.Count < GraphBatchSender.MaxRequestsPerBatch && _fresh.Count > 0)
            {
                batch.Add(_fresh.Dequeue());
            }

            return batch;
        }

        /// <summary>Exponential back-off with jitter for an item throttled without Retry-After, capped like every delay.</summary>
        private TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
        {
            double factor = Math.Pow(2, attempt - 1) * (0.5 + _jitter.NextDouble());
            return TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks));
        }

        /// <summary>
        /// Hands the final answers of a batch to <paramref name="done"/> and queues its throttled items again, all due at once
        /// after the longest delay among them; a Retry-After closes <paramref name="gate"/> until then. Returns the verbose
        /// line, if any.
        /// </summary>
        public string? Requeue(string batchUrl, List<GraphBatchItem> batch, GraphBatchOutcome[] outcomes, DateTimeOffset now, HttpRetryOptions options, ThrottleGate gate, Action<int, GraphBatchResponse> done)
        {
            var again = new List<GraphBatchItem>();
            TimeSpan longest = TimeSpan.Zero;
            bool asked = false;
            for (int k = 0; k < batch.Count; k++)
            {
                GraphBatchItem item = batch[k];
                GraphBatchOutcome outcome = outcomes[k];
                if (!outcome.Retryable || item.Attempts > options.MaxRetries)
                {
                    done(item.Index, outcome.Answer);
                    continue;
                }

                TimeSpan delay = outcome.RetryAfter ?? Backoff(item.Attempts, options.BaseDelay, options.MaxDelay);
                longest = delay > longest ? delay : longest;
                asked |= outcome.RetryAfter != null;
                again.Add(item);
            }

            if (again.Count == 0)
            {
                return null;
            }

            // One time for the batch's throttled items, so they go out again together; a Retry-After holds every batch.
            longest = longest > options.MaxDelay ? options.MaxDelay : longest;
            DateTimeOffset due = now + longest;
            if (asked)
            {
                gate.Close(due);
            }

            foreach (GraphBatchItem item in again)
            {
                item.NotBefore = due;
                Retry(item);
            }

            return string.Format(
                CultureInfo.InvariantCulture,
                "POST {0}: {1} of {2} batch items throttled; they go out again with the next batch in {3:0.###} s (retry {4} of {5}).",
                batchUrl,
                again.Count,
                batch.Count,
                longest.TotalSeconds,
                again.Max(i => i.Attempts),
                options.MaxRetries);
        }
    }
}
