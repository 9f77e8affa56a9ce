using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>Every failed answer says its status once and ends with one full stop, whatever the service's code and message look like.</summary>
public sealed class ErrorMessageTests
{
    private const string Url = "https://graph.microsoft.com/v1.0/organization";

    public static TheoryData<int> Statuses()
    {
        var data = new TheoryData<int>();
        foreach (int status in new[] { 400, 401, 403, 404, 405, 409, 412, 413, 429, 500, 501, 502, 503, 504, 599 })
        {
            data.Add(status);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void GivesTheStatusOnceAndOneFullStop(int status)
    {
        string name = ((HttpStatusCode)status).ToString();
        string shown = Enum.IsDefined(typeof(HttpStatusCode), status) ? status + " " + name : status.ToString();
        string[] codes = { null!, name, char.ToLowerInvariant(name[0]) + name.Substring(1), status.ToString(), "Request_ResourceNotFound", "-2147024894, System.IO.FileNotFoundException" };
        string[] messages = { null!, "Invalid filter clause.", "Invalid filter clause", "Stop!", "Is it?", "Too long…", "Trailing dots...", "  spaced .  ", name, status + " " + name };
        foreach (string? code in codes)
        {
            foreach (string? message in messages)
            {
                foreach (string? requestId in new[] { null, "6f1c3a2e-0b5d-4e8f-9a7c-2d4b6e8f0a1c" })
                {
                    foreach (int attempts in new[] { 1, 4 })
                    {
                        byte[]? body = code is null && message is null ? null : Encoding.UTF8.GetBytes(ErrorBody(code, message));
                        string text = HttpErrorFactory.FromStatus(status, body, "application/json", requestId, "GET", Url, attempts).Message;
                        string because = $"'{text}' (code {code ?? "none"}, message {message ?? "none"})";

                        Assert.False(text.Contains("..", StringComparison.Ordinal), because);
                        Assert.Matches("[.!?…]$", text);
                        Assert.Single(Regex.Matches(text, $@"\b{status}\b"));
                        Assert.Single(Regex.Matches(text, $@"\b{name}\b", RegexOptions.IgnoreCase));
                        Assert.StartsWith($"GET {Url} failed with {shown}", text, StringComparison.Ordinal);
                        if (requestId != null)
                        {
                            Assert.EndsWith(". Request id: " + requestId + ".", text.Replace("? Request", ". Request").Replace("! Request", ". Request").Replace("… Request", ". Request"), StringComparison.Ordinal);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void KeepsACodeThatSaysMoreThanTheStatus()
    {
        byte[] body = Encoding.UTF8.GetBytes(ErrorBody("Request_ResourceNotFound", "Resource 'x' does not exist."));
        Assert.Equal(
            "GET " + Url + " failed with 404 NotFound (Request_ResourceNotFound): Resource 'x' does not exist. Request id: abc-1.",
            HttpErrorFactory.FromStatus(404, body, "application/json", "abc-1", "GET", Url, 1).Message);
    }

    [Fact]
    public void SaysOnceWhatAGatewayPageIs()
    {
        string text = HttpErrorFactory.FromStatus(502, Encoding.UTF8.GetBytes("<html>Bad gateway.</html>"), "text/html", null, "GET", Url, 1).Message;
        Assert.Equal("GET " + Url + " failed with 502 BadGateway (the answer was text/html, not a service error in JSON; a proxy or gateway may have answered).", text);
    }

    [Theory]
    [InlineData("Done", "Done.")]
    [InlineData("Done.", "Done.")]
    [InlineData("Done..", "Done.")]
    [InlineData("Done. . ", "Done.")]
    [InlineData("Really?", "Really?")]
    [InlineData("Cut…", "Cut…")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    public void EndsASentenceOnce(string? text, string expected) => Assert.Equal(expected, Sentences.End(text));

    [Fact]
    public void JoinsSentencesWithoutDoublingOrDroppingStops() =>
        Assert.Equal("It failed. Graph said: no. Request id: 1.", Sentences.Join("It failed.", null, "Graph said: no.", " ", "Request id: 1"));

    [Fact]
    public void TheDebugLineNamesTheExchangeAndNothingSecret()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        request.Headers.TryAddWithoutValidation("client-request-id", "11111111-2222-3333-4444-555555555555");
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request, Content = new StringContent("{\"secret\":\"s3cr3t\"}", Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("request-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        response.Headers.TryAddWithoutValidation("x-ms-request-id", "not a plain id; Authorization: Bearer eyJ");
        response.Headers.TryAddWithoutValidation("Set-Cookie", "session=s3cr3t");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        string line = ExchangeLog.Answered("GET", Url, response, TimeSpan.FromMilliseconds(41.6), 2);

        Assert.Equal(
            "HTTP GET " + Url + " -> 429 TooManyRequests in 42 ms (attempt 2); request id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee; "
                + "client-request-id: 11111111-2222-3333-4444-555555555555; Retry-After: 2 s; content: application/json, 19 bytes.",
            line);
        Assert.DoesNotContain("eyJ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTransportReportsAnExchangeNoSenderReportedToTheSinkOfItsOwnFlowOnly()
    {
        const string Token = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token";
        var handler = new StrictHttpHandler(TimeProvider.System)
            .Expect(HttpMethod.Post, Token, () => StrictHttpHandler.Ok())
            .Expect(HttpMethod.Get, Url, () => StrictHttpHandler.Ok())
            .Expect(HttpMethod.Post, Token, () => StrictHttpHandler.Ok());
        using var transport = HttpTransport.CreateWithHandler(handler);
        var lines = new List<string>();

        using (ExchangeTrace.Use(lines.Add))
        {
            using var secret = new StringContent("client_secret=s3cr3t&grant_type=client_credentials");
            (await transport.Client.PostAsync(Token, secret)).Dispose();
            using var reported = new HttpRequestMessage(HttpMethod.Get, Url);
            reported.Options.Set(new HttpRequestOptionsKey<bool>(ExchangeTrace.ReportedKey), true);
            (await transport.Client.SendAsync(reported)).Dispose();
        }

        using var unseen = new StringContent("client_secret=s3cr3t");
        (await transport.Client.PostAsync(Token, unseen)).Dispose();

        string line = Assert.Single(lines);
        Assert.Matches("^HTTP POST " + Regex.Escape(Token) + @" -> 200 OK in \d+ ms; client-request-id: [0-9a-f-]{36}; content: application/json", line);
        Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
        handler.AssertAllConsumed();
    }

    private static string ErrorBody(string? code, string? message) =>
        "{\"error\":{" + (code is null ? string.Empty : "\"code\":" + System.Text.Json.JsonSerializer.Serialize(code) + (message is null ? string.Empty : ","))
            + (message is null ? string.Empty : "\"message\":" + System.Text.Json.JsonSerializer.Serialize(message)) + "}}";
}
