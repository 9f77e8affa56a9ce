using System.Collections.Concurrent;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>A sender over a strict handler, a fake clock and a token store with a counting acquirer.</summary>
internal sealed class SenderHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpTransport _transport;

    /// <param name="options">The retry options.</param>
    /// <param name="autoAdvance">Whether the fake clock jumps over delays.</param>
    /// <param name="server">A handler that answers instead of <see cref="Handler"/> (e.g. an endless or streaming server).</param>
    public SenderHarness(HttpRetryOptions? options = null, bool autoAdvance = true, HttpMessageHandler? server = null)
    {
        Time = new RecordingTimeProvider(Start) { AutoAdvanceExcept = autoAdvance ? AttemptTimeout : null };
        Handler = new StrictHttpHandler(Time);
        _transport = HttpTransport.CreateWithHandler(server ?? Handler);
        var tokenClock = new FakeTimeProvider(Start);
        Acquirer = new FakeTokenAcquirer(tokenClock);
        Store = new ResourceTokenStore(Acquirer, tokenClock);
        Resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        options ??= new HttpRetryOptions();
        options.PerAttemptTimeout = AttemptTimeout;
        Sender = new ResourceRequestSender(_transport.Client, Resolver.FromUrl, Store.GetTokenAsync, Store.GetTokenWithClaimsAsync, options, Time)
            .WithVerbose(line => Verbose.Enqueue(line));
    }

    public RecordingTimeProvider Time { get; }

    public StrictHttpHandler Handler { get; }

    public FakeTokenAcquirer Acquirer { get; }

    public ResourceTokenStore Store { get; }

    public ResourceResolver Resolver { get; }

    public ResourceRequestSender Sender { get; }

    public ConcurrentQueue<string> Verbose { get; } = new();

    public IReadOnlyList<TimeSpan> Delays => Time.Delays(AttemptTimeout);

    public void Dispose() => _transport.Dispose();
}
