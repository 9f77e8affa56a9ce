using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// Shows the device code through the host, and a progress bar that counts down to the real end of the wait: the earlier
/// of the code's expiry and -Timeout. It updates each second until the sign-in ends (<see cref="Dispose"/>).
/// </summary>
internal sealed class DeviceCodeProgress : IDisposable
{
    private const int ProgressId = 1;
    private readonly M365.PowerShell.Infrastructure.M365Cmdlet _command;
    private readonly DateTimeOffset _timeoutEnd;
    private readonly string _activity;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _shown;

    public DeviceCodeProgress(M365.PowerShell.Infrastructure.M365Cmdlet command, TimeSpan timeout)
    {
        _command = command;
        _activity = command.MyInvocation.MyCommand.Name;
        _timeoutEnd = DateTimeOffset.UtcNow + timeout;
    }

    public Task ShowAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken)
    {
        _command.PostHostLine(prompt.Message);
        var end = prompt.ExpiresOn < _timeoutEnd ? prompt.ExpiresOn : _timeoutEnd;
        var total = Math.Max(1, (end - DateTimeOffset.UtcNow).TotalSeconds);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken);
        var post = _command.BoundPost();
        _ = Task.Run(() => CountDownAsync(prompt, end, total, post, stop));
        return Task.CompletedTask;
    }

    /// <summary>Stops the countdown and, on the pipeline thread, closes the progress bar if it was shown.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_shown)
        {
            _command.WriteProgress(new ProgressRecord(ProgressId, _activity, "Signed in") { RecordType = ProgressRecordType.Completed });
        }

        _stop.Dispose();
    }

    private async Task CountDownAsync(DeviceCodePrompt prompt, DateTimeOffset end, double total, Action<Action> post, CancellationTokenSource stop)
    {
        using (stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var left = end - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                var activity = $"Waiting for the sign-in with code {prompt.UserCode} at {prompt.VerificationUrl}";
                var record = new ProgressRecord(ProgressId, _activity, activity)
                {
                    SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds),
                    PercentComplete = (int)Math.Min(100, Math.Max(0, 100 * (1 - (left.TotalSeconds / total)))),
                    StatusDescription = $"{activity} (until {TimeText.Format(end)})",
                };
                post(() =>
                {
                    _shown = true;
                    _command.WriteProgress(record);
                });
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
