using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Runs asynchronous work from a cmdlet while keeping every Write* call on the pipeline thread, where PowerShell
/// requires it. Work on other threads (MSAL's device-code callback, progress) posts actions here. The queue is made only
/// when something is posted or the work really waits: work that completes at once (a cached token, the next object of a
/// page already read) costs no allocation and no thread hop.
/// </summary>
internal sealed class PipelineDispatcher : IDisposable
{
    private BlockingCollection<Action>? _queue;

    /// <summary>Queues an action to run on the pipeline thread. Safe from any thread; dropped once the work has ended.</summary>
    public void Post(Action action)
    {
        try
        {
            Queue().Add(action);
        }
        catch (InvalidOperationException)
        {
            // The operation has finished (adding completed, or the queue disposed; ObjectDisposedException is an
            // InvalidOperationException): there is no pipeline left to write to.
        }
    }

    /// <summary>Waits for the task on the calling (pipeline) thread, running posted actions as they arrive.</summary>
    public T Run<T>(Task<T> task)
    {
        // Nothing was posted before the work completed (Post's Interlocked write happens before any completion that
        // follows it): return at once.
        if (task.IsCompleted && Volatile.Read(ref _queue) is null)
        {
            return task.GetAwaiter().GetResult();
        }

        var queue = Queue();
        _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var action in queue.GetConsumingEnumerable())
        {
            action();
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => Volatile.Read(ref _queue)?.Dispose();

    private BlockingCollection<Action> Queue()
    {
        var queue = Volatile.Read(ref _queue);
        if (queue is null)
        {
            var made = new BlockingCollection<Action>();
            queue = Interlocked.CompareExchange(ref _queue, made, null) ?? made;
            if (!ReferenceEquals(queue, made))
            {
                made.Dispose();
            }
        }

        return queue;
    }
}
