using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Runs asynchronous work from a cmdlet while keeping every Write* call on the pipeline thread, where PowerShell
/// requires it. Work on other threads (MSAL's device-code callback, progress) posts actions here.
/// </summary>
internal sealed class PipelineDispatcher : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();

    /// <summary>Queues an action to run on the pipeline thread. Safe from any thread.</summary>
    public void Post(Action action)
    {
        try
        {
            _queue.Add(action);
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
        _ = task.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var action in _queue.GetConsumingEnumerable())
        {
            action();
        }

        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => _queue.Dispose();
}
