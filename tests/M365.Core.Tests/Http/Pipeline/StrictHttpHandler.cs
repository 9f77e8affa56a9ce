using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// A strict in-memory server in the style of MSAL's MockHttpManager: answers come from a queue of expectations in order,
/// an unexpected call fails the test (it is recorded and answered with an exception), and <see cref="AssertAllConsumed"/>
/// fails when a queued answer was never asked for. Nothing leaves the process.
/// </summary>
internal sealed class StrictHttpHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Expectation> _expected = new();
    private readonly TimeProvider _time;

    public StrictHttpHandler(TimeProvider time) => _time = time;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>Signalled with the number of requests received so far, after each one.</summary>
    public event Action<int>? RequestReceived;

    public StrictHttpHandler Expect(HttpMethod method, string url, Func<HttpResponseMessage> respond)
    {
        _expected.Enqueue(new Expectation(method, new Uri(url), _ => respond(), null));
        return this;
    }

    public StrictHttpHandler Expect(HttpMethod method, string url, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _expected.Enqueue(new Expectation(method, new Uri(url), respond, null));
        return this;
    }

    public StrictHttpHandler ExpectAsync(HttpMethod method, string url, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _expected.Enqueue(new Expectation(method, new Uri(url), null, respond));
        return this;
    }

    public void AssertAllConsumed()
    {
        Assert.Empty(Unexpected);
        Assert.True(_expected.IsEmpty, $"{_expected.Count} queued answer(s) were never asked for.");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Received.Enqueue(new ReceivedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Accept", out var accept) ? string.Join(",", accept) : null,
            body,
            _time.GetUtcNow()));
        RequestReceived?.Invoke(Received.Count);
        if (!_expected.TryDequeue(out Expectation? expectation) || expectation.Method != request.Method || expectation.Url != request.RequestUri)
        {
            string what = $"{request.Method} {request.RequestUri}" + (expectation is null ? " (nothing queued)" : $" (expected {expectation.Method} {expectation.Url})");
            Unexpected.Enqueue(what);
            throw new InvalidOperationException("Unexpected request: " + what);
        }

        HttpResponseMessage response = expectation.RespondAsync != null
            ? await expectation.RespondAsync(request, cancellationToken)
            : expectation.Respond!(request);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Ok(string json = "{\"ok\":true}") => Json(HttpStatusCode.OK, json);

    public static HttpResponseMessage Status(int status, string? retryAfter = null, string? json = null)
    {
        HttpResponseMessage response = Json((HttpStatusCode)status, json ?? "{\"error\":{\"code\":\"Status" + status + "\",\"message\":\"Injected " + status + ".\"}}");
        if (retryAfter != null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    private sealed record Expectation(HttpMethod Method, Uri Url, Func<HttpRequestMessage, HttpResponseMessage>? Respond, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? RespondAsync);
}

/// <summary>One request the strict handler saw, copied before the sender could dispose it.</summary>
internal sealed record ReceivedRequest(HttpMethod Method, Uri Url, string? Authorization, string? Accept, string? Body, DateTimeOffset At);
