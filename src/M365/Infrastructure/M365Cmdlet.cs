using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// The root of every M365 cmdlet: Ctrl+C (<see cref="StopProcessing"/>) cancels a token that reaches MSAL,
/// Polly and every await, and asynchronous work writes to the pipeline only from the pipeline thread.
/// </summary>
public abstract class M365Cmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private PipelineDispatcher? _dispatcher;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _cts.Token;

    protected override void StopProcessing() => _cts.Cancel();

    /// <summary>Runs asynchronous work to completion on a pool thread, pumping <see cref="Post"/>ed writes meanwhile.</summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        using var dispatcher = new PipelineDispatcher();
        _dispatcher = dispatcher;
        try
        {
            var token = CancellationToken;
            return dispatcher.Run(Task.Run(() => work(token), token));
        }
        finally
        {
            _dispatcher = null;
        }
    }

    /// <summary>Runs an action on the pipeline thread: at once when called there, else at the next pump.</summary>
    protected void Post(Action action)
    {
        var dispatcher = _dispatcher;
        if (dispatcher is null)
        {
            action();
        }
        else
        {
            dispatcher.Post(action);
        }
    }

    /// <summary>Writes a line to the host UI (what a person sees in every host), from any thread.</summary>
    protected void PostHostLine(string message) => Post(() =>
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
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
