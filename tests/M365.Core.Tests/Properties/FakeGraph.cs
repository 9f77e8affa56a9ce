using System.Net;
using System.Text;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Tests.Http.Pipeline;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Properties;

/// <summary>
/// A request sender over an in-memory server that answers from a script, with a clock that fires retry waits at once.
/// Each resource's token names its origin, so a property can check that no token ever reaches another host.
/// </summary>
internal sealed class FakeGraph : IDisposable
{
    /// <summary>The fake clock's start.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpTransport _transport;

    public FakeGraph(Func<HttpRequestMessage, string?, HttpResponseMessage> respond, int maxRetries = 0, int maxPages = 100_000)
    {
        Time = new RecordingTimeProvider(Start) { AutoAdvanceExcept = AttemptTimeout };
        Handler = new FakeHttpHandler(respond);
        _transport = HttpTransport.CreateWithHandler(Handler);
        Resolver = new ResourceResolver(CloudEnvironment.Public, "contoso");
        var options = new HttpRetryOptions { MaxRetries = maxRetries, MaxPages = maxPages, PerAttemptTimeout = AttemptTimeout };
        Sender = new ResourceRequestSender(
            _transport.Client,
            Resolver.FromUrl,
            (resource, force, ct) => Task.FromResult(new AccessToken(TokenFor(resource.Origin), Start.AddHours(1), resource)),
            (resource, claims, rejected, ct) => Task.FromResult(new AccessToken(TokenFor(resource.Origin), Start.AddHours(1), resource)),
            options,
            Time);
    }

    public RecordingTimeProvider Time { get; }

    public FakeHttpHandler Handler { get; }

    public ResourceResolver Resolver { get; }

    public ResourceRequestSender Sender { get; }

    /// <summary>The bearer token a resource of <paramref name="origin"/> gets.</summary>
    public static string TokenFor(Uri origin) => "token-for-" + origin.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    public static HttpResponseMessage Answer(int status, string body, string mediaType = "application/json") =>
        new((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    /// <summary>The failure as an M365HttpException; any other exception is rethrown as it is, with its own stack.</summary>
    public static M365HttpException HttpError(Exception failure) =>
        failure as M365HttpException ?? throw new Xunit.Sdk.XunitException("Not an M365HttpException: " + failure);

    public void Dispose() => _transport.Dispose();
}
