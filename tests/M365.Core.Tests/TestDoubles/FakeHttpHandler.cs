using System.Collections.Concurrent;
using System.Net;

namespace M365.Core.Tests.TestDoubles;

/// <summary>An in-memory server: records each request (with its headers and body) and answers from a script. Nothing leaves the process.</summary>
internal sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, string?, HttpResponseMessage> _respond;

    public FakeHttpHandler(Func<HttpRequestMessage, string?, HttpResponseMessage>? respond = null) =>
        _respond = respond ?? ((_, _) => new HttpResponseMessage(HttpStatusCode.OK));

    public ConcurrentQueue<(HttpRequestMessage Request, string? Body)> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((request, body));
        HttpResponseMessage response = _respond(request, body);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}
