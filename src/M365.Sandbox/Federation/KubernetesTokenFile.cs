using M365.Sandbox.Hosting;

namespace M365.Sandbox.Federation;

/// <summary>
/// Keeps &lt;state&gt;/federation/kubernetes-token fresh as the kubelet keeps a projected service-account token: a new
/// token once half the lifetime of the last one has gone (a TimeProvider timer), written owner-only and replaced
/// atomically so a reader never sees half a token.
/// </summary>
internal sealed class KubernetesTokenFile : IHostedService, IDisposable
{
    private readonly FederationSources _sources;
    private readonly Lock _gate = new();
    private ITimer? _timer;

    public KubernetesTokenFile(FederationSources sources) => _sources = sources;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _timer = _sources.Time.CreateTimer(_ => Refresh(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _sources.KubernetesChanged += Refresh;
        Refresh();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _sources.KubernetesChanged -= Refresh;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes a new token now and schedules the next one at half its lifetime.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            if (_timer is null)
            {
                return;
            }

            var source = _sources.KubernetesSource;
            var token = source.Mint(null, _sources.Time.GetUtcNow());
            var temp = _sources.KubernetesTokenFile + ".tmp";
            SecureFile.WriteAllBytes(temp, System.Text.Encoding.ASCII.GetBytes(token));
            File.Move(temp, _sources.KubernetesTokenFile, overwrite: true);
            var half = TimeSpan.FromTicks(Math.Max(source.Settings.Lifetime.Ticks / 2, TimeSpan.FromSeconds(1).Ticks));
            _timer.Change(half, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
