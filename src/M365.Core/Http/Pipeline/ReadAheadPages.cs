using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>
    /// The pages of a listing, read one ahead: while the consumer works through page N, page N+1 is fetched and read on the
    /// thread pool, so the network, the parsing and the consumer overlap.
    /// <list type="bullet">
    /// <item>No read-ahead until the consumer has asked past the end of the first page: a consumer that stops within it
    /// (<c>Select-Object -First 5</c>) causes exactly one request.</item>
    /// <item>At most two pages are held: the one handed out and the one being read. A page that is <see cref="IDisposable"/>
    /// is disposed once the consumer asks for the next one (or stops), and an abandoned read-ahead's page too.</item>
    /// <item>Stopping (disposing the enumerator) or cancelling cancels the read-ahead and waits for it to end, so no request
    /// outlives the listing; a read-ahead never handed out is never reported, neither its page nor its failure.</item>
    /// </list>
    /// Pages are read one at a time, in order: <paramref name="read"/> is never called twice at once. Without
    /// <c>readAhead</c>, each page is read only when the consumer asks past the end of the one before.
    /// </summary>
    internal static class ReadAheadPages
    {
        /// <summary>Reads a page: its content and the next page's URL (null: the last page).</summary>
        public delegate Task<(TPage Page, Uri? Next)> PageReader<TPage>(Uri url, CancellationToken cancellationToken);

        public static async IAsyncEnumerable<TPage> ReadAsync<TPage>(Uri firstPage, PageReader<TPage> read, [EnumeratorCancellation] CancellationToken cancellationToken, bool readAhead = true)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<(TPage Page, Uri? Next)>? ahead = null;
            IDisposable? handedOut = null;
            try
            {
                (TPage page, Uri? next) = await read(firstPage, stop.Token).ConfigureAwait(false);
                bool pastFirst = false;
                while (true)
                {
                    if (readAhead && pastFirst && next != null)
                    {
                        Uri following = next;
                        ahead = Task.Run(() => read(following, stop.Token), stop.Token);
                    }

                    handedOut = page as IDisposable;
                    yield return page;
                    handedOut?.Dispose();
                    handedOut = null;
                    if (next is null)
                    {
                        yield break;
                    }

                    if (ahead is null)
                    {
                        (page, next) = await read(next, stop.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        Task<(TPage Page, Uri? Next)> reading = ahead;
                        ahead = null;
                        (page, next) = await reading.ConfigureAwait(false);
                    }

                    pastFirst = true;
                }
            }
            finally
            {
                handedOut?.Dispose();
                if (ahead != null)
                {
                    stop.Cancel();
                    try
                    {
                        ((await ahead.ConfigureAwait(false)).Page as IDisposable)?.Dispose();
                    }
                    catch (Exception)
                    {
                        // The consumer stopped: the abandoned read's page or failure (often the cancellation itself) belongs to no one.
                    }
                }
            }
        }
    }
}
