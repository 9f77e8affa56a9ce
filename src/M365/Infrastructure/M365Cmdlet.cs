using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using M365.Core;
using M365.Core.Http;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// The root of every M365 cmdlet: Ctrl+C (<see cref="StopProcessing"/>) cancels a token that reaches MSAL,
/// Polly and every await, and asynchronous work writes to the pipeline only from the pipeline thread.
/// </summary>
public abstract class M365Cmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private CancellationTokenSource? _deadline;
    private CancellationTokenSource? _linked;
    private TimeSpan _deadlineLength;
    private readonly ConcurrentQueue<Action> _late = new();
    private PipelineDispatcher? _dispatcher;
    private int _pipelineThread;

    /// <summary>Cancelled when the user presses Ctrl+C, the pipeline stops, or the deadline set by <see cref="StartDeadline"/> passes.</summary>
    protected CancellationToken CancellationToken => _linked?.Token ?? _cts.Token;

    protected override void StopProcessing() => _cts.Cancel();

    /// <summary>Makes -Debug show its lines without prompting (see <see cref="DebugSwitch"/>); derived cmdlets call it first.</summary>
    protected override void BeginProcessing()
    {
        DebugSwitch.NoInquire(this);
        base.BeginProcessing();
    }

    /// <summary>
    /// Receives the HTTP exchange log (one line per request, never a token) as -Debug lines from the pipeline thread;
    /// null when no debug line would be shown, so nothing is formatted for nobody.
    /// </summary>
    protected Action<string>? DebugSink() => DebugSwitch.Wanted(this) ? line => Post(() => WriteDebug(line)) : null;

    /// <summary>Bounds the whole invocation (every request and retry) to <paramref name="length"/>; past it, work ends with <c>RequestTimedOut</c>.</summary>
    protected void StartDeadline(TimeSpan length)
    {
        _deadlineLength = length;
        _deadline = new CancellationTokenSource(length);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, _deadline.Token);
    }

    /// <summary>
    /// Runs asynchronous work to completion. The work starts on the pipeline thread, so work that completes at once (a
    /// cached token) returns with no thread hop; otherwise the pipeline thread pumps <see cref="Post"/>ed writes until it ends.
    /// </summary>
    protected internal T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        _pipelineThread = Environment.CurrentManagedThreadId;
        DrainLate();
        var token = CancellationToken;
        using var dispatcher = new PipelineDispatcher();
        _dispatcher = dispatcher;

        // The sign-in and token requests MSAL sends for this work report to -Debug too (service requests report themselves).
        using var trace = ExchangeTrace.Use(DebugSink());
        try
        {
            Task<T> task;
            try
            {
                task = work(token);
            }
            catch (Exception ex)
            {
                task = Task.FromException<T>(ex);
            }

            return dispatcher.Run(task);
        }
        catch (OperationCanceledException ex) when (_deadline?.IsCancellationRequested == true && !_cts.IsCancellationRequested)
        {
            // A request cut short while retrying carries its last failure (a refused connection, a 503): name the cause too.
            var last = ex.InnerException as M365Exception;
            throw new M365Exception(
                HttpErrorIds.RequestTimedOut,
                $"{MyInvocation.MyCommand.Name} did not finish within its -Timeout of {Durations.Describe(_deadlineLength)}."
                    + (last is null ? string.Empty : " It was retrying: " + last.Message),
                "Raise -Timeout, or try again later." + (last?.RecommendedAction is { Length: > 0 } action ? " " + action : string.Empty),
                null,
                ex);
        }
        finally
        {
            _dispatcher = null;
            DrainLate();
        }
    }

    /// <summary>
    /// Streams a sequence to the pipeline: each item is handed to <paramref name="write"/> on the pipeline thread as soon as it
    /// arrives, and the next item is asked for only after that, so a lazy source (a paged list) sends its next request only
    /// when the pipeline still wants more. When a downstream <c>Select-Object -First n</c> stops the pipeline (the write throws
    /// <see cref="PipelineStoppedException"/>), the source is disposed and nothing more is requested; the exception goes on.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    protected void AwaitEach<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, Action<T> write)
    {
        // MoveNextAsync may start a request outside Await (below): its verbose lines from other threads must queue.
        _pipelineThread = Environment.CurrentManagedThreadId;
        var items = source(CancellationToken).GetAsyncEnumerator(CancellationToken);
        try
        {
            while (true)
            {
                // The next object of a page already read is a completed ValueTask: no Task, no dispatcher round trip.
                var next = items.MoveNextAsync();
                var more = next.IsCompletedSuccessfully ? next.Result : Await(_ => next.AsTask());
                if (!more)
                {
                    break;
                }

                DrainLate();
                write(items.Current);
            }
        }
        finally
        {
            // A suspended iterator only runs its finally blocks here (disposing the page it holds): no request is sent.
            Await(async _ =>
            {
                await items.DisposeAsync().ConfigureAwait(false);
                return true;
            });
        }
    }

    /// <summary>
    /// Runs an action on the pipeline thread: at once when called there, else at the next pump. An action posted from
    /// another thread while no Await runs (a request's verbose line between two objects of a stream) waits for the next
    /// Await: PowerShell allows Write* calls from the pipeline thread only.
    /// </summary>
    protected internal void Post(Action action)
    {
        var dispatcher = _dispatcher;
        if (dispatcher is not null)
        {
            dispatcher.Post(action);
        }
        else if (_pipelineThread == 0 || Environment.CurrentManagedThreadId == _pipelineThread)
        {
            action();
        }
        else
        {
            _late.Enqueue(action);
        }
    }

    private void DrainLate()
    {
        while (_late.TryDequeue(out var action))
        {
            action();
        }
    }

    /// <summary>
    /// A Post bound to the Await running now, for background loops: once that Await has ended, their actions are dropped
    /// instead of running on a thread that must not write to the pipeline.
    /// </summary>
    protected internal Action<Action> BoundPost()
    {
        var dispatcher = _dispatcher;
        return dispatcher is null ? Post : dispatcher.Post;
    }

    /// <summary>Writes a line to the host UI (what a person sees in every host), from any thread.</summary>
    protected internal void PostHostLine(string message) => Post(() =>
    {
        if (Host?.UI is { } ui)
        {
            ui.WriteLine(message);
        }
        else
        {
            WriteWarning(message);
        }
    });

    public void Dispose()
    {
        _linked?.Dispose();
        _deadline?.Dispose();
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
