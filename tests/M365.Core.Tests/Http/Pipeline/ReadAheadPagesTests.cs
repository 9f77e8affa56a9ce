using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// One page read ahead (issue 19): pages in order, none before the consumer has asked past the first, never two reads at
/// once, and a consumer that stops (or is cancelled) cancels the read in flight and waits for it; an abandoned read's
/// failure is never reported.
/// </summary>
public sealed class ReadAheadPagesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Pages 1..count at page://n; each read is recorded, and may be held until the test releases it.</summary>
    private sealed class FakePages
    {
        private readonly int _count;
        private readonly object _gate = new();
        private int _running;

        public FakePages(int count) => _count = count;

        public List<int> Started { get; } = new();

        public int MostAtOnce { get; private set; }

        /// <summary>Reads of these pages wait until cancelled (then record it), or until released.</summary>
        public Dictionary<int, TaskCompletionSource> Held { get; } = new();

        public List<int> Cancelled { get; } = new();

        public int? FailOn { get; set; }

        public TaskCompletionSource<int> Reading(int page) => _reading.GetOrAdd(page, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));

        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource<int>> _reading = new();

        public async Task<(string Page, Uri? Next)> Read(Uri url, CancellationToken cancellationToken)
        {
            int page = int.Parse(url.Host.TrimStart('p'), System.Globalization.CultureInfo.InvariantCulture);
            lock (_gate)
            {
                Started.Add(page);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            }

            Reading(page).TrySetResult(page);
            try
            {
                await Task.Yield();
                if (Held.TryGetValue(page, out TaskCompletionSource? hold))
                {
                    try
                    {
                        await hold.Task.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        lock (_gate)
                        {
                            Cancelled.Add(page);
                        }

                        throw;
                    }
                }

                if (FailOn == page)
                {
                    throw new InvalidOperationException("page " + page + " failed");
                }

                return ("page " + page, page < _count ? Url(page + 1) : null);
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                }
            }
        }

        public static Uri Url(int page) => new("page://p" + page);
    }

    [Fact]
    public async Task PagesComeInOrderAndNeverTwoAreReadAtOnce()
    {
        var pages = new FakePages(6);
        var seen = new List<string>();
        await foreach (string page in ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, CancellationToken.None))
        {
            seen.Add(page);
            await Task.Delay(5);
        }

        Assert.Equal(Enumerable.Range(1, 6).Select(n => "page " + n), seen);
        Assert.Equal(Enumerable.Range(1, 6), pages.Started);
        Assert.Equal(1, pages.MostAtOnce);
    }

    [Fact]
    public async Task NothingIsReadAheadUntilTheConsumerAsksPastTheFirstPage()
    {
        var pages = new FakePages(5);
        await using IAsyncEnumerator<string> reader = ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("page 1", reader.Current);
        await Task.Delay(100);
        Assert.Equal(new[] { 1 }, pages.Started);

        // Past the first page: page 2 is read for the consumer, and page 3 ahead while page 2 is consumed.
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("page 2", reader.Current);
        Assert.Equal(3, await pages.Reading(3).Task.WaitAsync(Patience));
        Assert.DoesNotContain(4, pages.Started);
    }

    [Fact]
    public async Task StoppingWithinTheFirstPageReadsOnePage()
    {
        var pages = new FakePages(5);
        await foreach (string page in ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, CancellationToken.None))
        {
            break;
        }

        Assert.Equal(new[] { 1 }, pages.Started);
    }

    [Fact]
    public async Task StoppingCancelsTheReadAheadAndWaitsForItToEnd()
    {
        var pages = new FakePages(5);
        pages.Held[3] = new TaskCompletionSource();
        IAsyncEnumerator<string> reader = ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.True(await reader.MoveNextAsync());
        await pages.Reading(3).Task.WaitAsync(Patience);

        await reader.DisposeAsync().AsTask().WaitAsync(Patience);

        // Disposal returned only once the read in flight had seen its cancellation and ended; its failure was not thrown.
        Assert.Equal(new[] { 3 }, pages.Cancelled);
        Assert.Equal(new[] { 1, 2, 3 }, pages.Started);
    }

    [Fact]
    public async Task CancellingTheListingCancelsTheReadAhead()
    {
        var pages = new FakePages(5);
        pages.Held[3] = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        await using IAsyncEnumerator<string> reader = ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, cancel.Token).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.True(await reader.MoveNextAsync());
        await pages.Reading(3).Task.WaitAsync(Patience);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.MoveNextAsync());
        Assert.Equal(new[] { 3 }, pages.Cancelled);
    }

    [Fact]
    public async Task AReadAheadFailureComesAfterThePageBeforeItAndOnlyIfAskedFor()
    {
        var pages = new FakePages(5) { FailOn = 3 };
        var seen = new List<string>();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (string page in ReadAheadPages.ReadAsync<string>(FakePages.Url(1), pages.Read, CancellationToken.None))
            {
                seen.Add(page);
            }
        });
        Assert.Equal("page 3 failed", failure.Message);
        Assert.Equal(new[] { "page 1", "page 2" }, seen);

        // Stopping on page 2 while page 3 fails ahead: nothing is thrown.
        var quiet = new FakePages(5) { FailOn = 3 };
        await foreach (string page in ReadAheadPages.ReadAsync<string>(FakePages.Url(1), quiet.Read, CancellationToken.None))
        {
            if (page == "page 2")
            {
                await quiet.Reading(3).Task.WaitAsync(Patience);
                await Task.Delay(50);
                break;
            }
        }
    }

    private sealed class Page : IDisposable
    {
        public Page(int number) => Number = number;

        public int Number { get; }

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task EveryPageIsDisposedOnceTheConsumerLeavesItOrStops()
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<Page>();
        async Task<(Page Page, Uri? Next)> Read(Uri url, CancellationToken cancellationToken)
        {
            await Task.Yield();
            int number = int.Parse(url.Host.TrimStart('p'), System.Globalization.CultureInfo.InvariantCulture);
            var page = new Page(number);
            made.Add(page);
            return (page, number < 5 ? FakePages.Url(number + 1) : null);
        }

        var handed = new List<Page>();
        await foreach (Page page in ReadAheadPages.ReadAsync<Page>(FakePages.Url(1), Read, CancellationToken.None))
        {
            Assert.False(page.Disposed);
            Assert.All(handed, previous => Assert.True(previous.Disposed));
            handed.Add(page);
            if (page.Number == 3)
            {
                // Stopped while page 4 is read ahead: page 3 and page 4 are disposed once the loop has ended.
                while (made.Count < 4)
                {
                    await Task.Delay(10);
                }

                break;
            }
        }

        Assert.Equal(4, made.Count);
        Assert.All(made, page => Assert.True(page.Disposed));
    }
}
