using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Services.Graph
{
    /// <summary>A bounded window of inputs whose answers come out in input order (<see cref="GraphBatchStream"/> and what wraps it).</summary>
    internal interface IOrderedWindow<TIn, TOut>
        where TOut : class
    {
        bool TryAdd(TIn input);

        bool TryTake([NotNullWhen(true)] out TOut? answer);

        Task<bool> WaitAsync(CancellationToken cancellationToken);

        void Complete();
    }

    /// <summary>Feeds a lazily read input through an ordered window and streams the answers as they come.</summary>
    internal static class OrderedWindow
    {
        /// <summary>
        /// Adds each input as the window has room, yielding the answers that are ready in between, then ends the input and
        /// yields the rest: the input is read at most one window ahead of the answers taken.
        /// </summary>
        public static async IAsyncEnumerable<TOut> StreamAsync<TIn, TOut>(IOrderedWindow<TIn, TOut> window, IEnumerable<TIn> inputs, [EnumeratorCancellation] CancellationToken cancellationToken)
            where TOut : class
        {
            TOut? answer;
            foreach (TIn input in inputs)
            {
                while (!window.TryAdd(input))
                {
                    if (window.TryTake(out answer))
                    {
                        yield return answer;
                    }
                    else
                    {
                        await window.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                while (window.TryTake(out answer))
                {
                    yield return answer;
                }
            }

            await foreach (TOut rest in RemainingAsync(window, cancellationToken).ConfigureAwait(false))
            {
                yield return rest;
            }
        }

        /// <summary>Waits for <paramref name="wait"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
        public static async Task<bool> WaitAsync(Task<bool> wait, CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
            {
                return await (await Task.WhenAny(wait, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }

        /// <summary>Ends the input and yields every answer still to come, in input order.</summary>
        public static async IAsyncEnumerable<TOut> RemainingAsync<TIn, TOut>(IOrderedWindow<TIn, TOut> window, [EnumeratorCancellation] CancellationToken cancellationToken)
            where TOut : class
        {
            window.Complete();
            do
            {
                while (window.TryTake(out TOut? answer))
                {
                    yield return answer;
                }
            }
            while (await window.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
    }
}
