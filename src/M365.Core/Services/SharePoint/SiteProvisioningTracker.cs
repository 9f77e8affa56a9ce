using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// Waits for many sites at once: add each site as it is submitted, then poll them together, round after round, and
    /// take each as soon as it is ready, failed or past its own timeout. 200 sites take about as long as the slowest.
    /// Add is thread-safe; run one wait at a time.
    /// </summary>
    public sealed class SiteProvisioningTracker
    {
        private readonly SiteCreationClient _client;
        private readonly TimeSpan _timeout;
        private readonly int _maxConcurrentPolls;
        private readonly object _gate = new object();
        private readonly List<(SpoSite Site, DateTimeOffset Deadline)> _pending = new List<(SpoSite, DateTimeOffset)>();

        /// <summary>Creates a tracker.</summary>
        /// <param name="client">The client that polls (its <see cref="SiteCreationClient.PollInterval"/> paces the rounds).</param>
        /// <param name="timeout">How long each site may take from when it is added.</param>
        /// <param name="maxConcurrentPolls">How many status requests may be in flight at once.</param>
        public SiteProvisioningTracker(SiteCreationClient client, TimeSpan timeout, int maxConcurrentPolls = 8)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _timeout = timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
            _maxConcurrentPolls = maxConcurrentPolls > 0 ? maxConcurrentPolls : throw new ArgumentOutOfRangeException(nameof(maxConcurrentPolls));
        }

        /// <summary>How many sites are still being waited for.</summary>
        public int PendingCount
        {
            get
            {
                lock (_gate)
                {
                    return _pending.Count;
                }
            }
        }

        /// <summary>The sites still being waited for, in the order they were added (a snapshot; safe from any thread).</summary>
        public IReadOnlyList<SpoSite> Pending
        {
            get
            {
                lock (_gate)
                {
                    return _pending.Select(p => p.Site).ToArray();
                }
            }
        }

        /// <summary>Starts waiting for a site; its timeout runs from now.</summary>
        /// <param name="site">A site from <see cref="SiteCreationClient.SubmitAsync"/>.</param>
        public void Add(SpoSite site)
        {
            if (site is null)
            {
                throw new ArgumentNullException(nameof(site));
            }

            lock (_gate)
            {
                _pending.Add((site, _client.Time.GetUtcNow() + _timeout));
            }
        }

        /// <summary>
        /// One round: polls every pending site that is still provisioning (a few at a time) and returns those whose wait
        /// ended. Use it between inputs to write sites as soon as they are ready.
        /// </summary>
        /// <param name="cancellationToken">Cancels the polls.</param>
        public async Task<IReadOnlyList<SiteWaitResult>> PollAsync(CancellationToken cancellationToken = default)
        {
            (SpoSite Site, DateTimeOffset Deadline)[] round;
            lock (_gate)
            {
                round = _pending.ToArray();
            }

            var ended = new SiteWaitResult?[round.Length];
            using (var slots = new SemaphoreSlim(_maxConcurrentPolls))
            {
                await Task.WhenAll(round.Select(async (entry, i) =>
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        ended[i] = await PollOneAsync(entry.Site, entry.Deadline, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                    }
                })).ConfigureAwait(false);
            }

            var results = new List<SiteWaitResult>();
            lock (_gate)
            {
                for (int i = 0; i < round.Length; i++)
                {
                    if (ended[i] is SiteWaitResult result)
                    {
                        _pending.Remove(round[i]);
                        results.Add(result);
                    }
                }
            }

            return results;
        }

        /// <summary>
        /// Polls in rounds, <see cref="SiteCreationClient.PollInterval"/> apart, yielding each site as its wait ends, until none
        /// is pending. Sites added meanwhile join the next round. Bounded: every site ends by its own deadline.
        /// </summary>
        /// <param name="cancellationToken">Cancels the polls and the pause between rounds at once.</param>
        public async IAsyncEnumerable<SiteWaitResult> WaitAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            TimeSpan interval = _client.PollInterval > TimeSpan.Zero ? _client.PollInterval : TimeSpan.FromMilliseconds(100);
            while (PendingCount > 0)
            {
                foreach (SiteWaitResult result in await PollAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }

                if (PendingCount > 0)
                {
                    await _client.Time.Delay(interval, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task<SiteWaitResult?> PollOneAsync(SpoSite site, DateTimeOffset deadline, CancellationToken cancellationToken)
        {
            try
            {
                await _client.RefreshAsync(site, cancellationToken).ConfigureAwait(false);
            }
            catch (M365ServiceException ex)
            {
                return new SiteWaitResult(site, ex);
            }

            switch (site.Status)
            {
                case SpoSiteStatus.Ready:
                    return new SiteWaitResult(site, null);
                case SpoSiteStatus.Failed:
                    return new SiteWaitResult(site, SiteCreationClient.Failed(site));
                default:
                    return _client.Time.GetUtcNow() >= deadline ? new SiteWaitResult(site, SiteCreationClient.TimedOut(site, _timeout)) : null;
            }
        }
    }
}
