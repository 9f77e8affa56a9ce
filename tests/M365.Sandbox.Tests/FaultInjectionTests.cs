using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using M365.Sandbox.Control;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Tests;

public sealed class FaultInjectionTests
{
    private const string Metadata = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    [Theory]
    [InlineData(429, RetryAfterForm.Seconds, 2.0, "2")]
    [InlineData(503, RetryAfterForm.DecimalSeconds, 0.249, "0.249")]
    [InlineData(504, RetryAfterForm.HttpDate, 90.0, null)]
    public async Task StatusFaultFiresNTimesWithRetryAfter(int status, RetryAfterForm form, double seconds, string? expected)
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        sandbox.Host.InjectFault(new FaultRule { Host = "login.microsoftonline.com", Path = "*/openid-configuration", Status = status, RetryAfterSeconds = seconds, RetryAfterForm = form, Times = 2 });

        for (var i = 0; i < 2; i++)
        {
            var faulted = await sandbox.Http.GetAsync(Metadata);
            Assert.Equal(status, (int)faulted.StatusCode);
            var header = faulted.Headers.GetValues("Retry-After").Single();
            if (expected is null)
            {
                var date = DateTimeOffset.ParseExact(header, "R", CultureInfo.InvariantCulture);
                Assert.InRange((date - DateTimeOffset.UtcNow).TotalSeconds, 80, 91);
            }
            else
            {
                Assert.Equal(expected, header);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(Metadata)).StatusCode);
        var log = sandbox.Host.GetRequestLog();
        Assert.Equal(3, log.Count);
        Assert.Equal(new[] { status, status, 200 }, log.Select(e => e.Status));
        Assert.Equal("fault-1", log[0].FaultId);
    }

    [Fact]
    public async Task RatioFaultFiresOnEverySecondMatch()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        sandbox.Host.InjectFault(new FaultRule { Host = "login.*", Status = 503, Ratio = 0.5 });
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((int)(await sandbox.Http.GetAsync(Metadata)).StatusCode);
        }

        Assert.Equal(new[] { 200, 503, 200, 503 }, statuses);
    }

    [Fact]
    public async Task LatencyMalformedAndHtmlBodies()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var latency = sandbox.Host.InjectFault(new FaultRule { Kind = FaultKind.Latency, LatencyMilliseconds = 300, Times = 1 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(Metadata)).StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"took {watch.ElapsedMilliseconds} ms");

        sandbox.Host.InjectFault(new FaultRule { Kind = FaultKind.MalformedBody, Status = 200, Times = 1 });
        var malformed = await sandbox.Http.GetAsync(Metadata);
        Assert.Equal("application/json", malformed.Content.Headers.ContentType!.MediaType);
        await Assert.ThrowsAnyAsync<JsonException>(() => malformed.Content.ReadFromJsonAsync<JsonElement>());

        sandbox.Host.InjectFault(new FaultRule { Kind = FaultKind.HtmlBody, Status = 502, Times = 1 });
        var html = await sandbox.Http.GetAsync(Metadata);
        Assert.Equal(HttpStatusCode.BadGateway, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.Contains(sandbox.Host.Faults.List(), f => f.Id == latency && f.Fired == 1);
    }

    [Fact]
    public async Task NextLinkLoopAndForeignHost()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        sandbox.Host.InjectFault(new FaultRule { Kind = FaultKind.NextLinkLoop, Path = "*/openid-configuration", Times = 1 });
        var loop = await TemporarySandbox.JsonAsync(await sandbox.Http.GetAsync(Metadata));
        Assert.Equal(Metadata, loop.GetProperty("@odata.nextLink").GetString());

        sandbox.Host.InjectFault(new FaultRule { Kind = FaultKind.NextLinkForeignHost, Path = "*/openid-configuration", Times = 1, ForeignHost = "attacker.example" });
        var foreign = await TemporarySandbox.JsonAsync(await sandbox.Http.GetAsync(Metadata));
        Assert.Equal("attacker.example", new Uri(foreign.GetProperty("@odata.nextLink").GetString()!).Host);
        Assert.Equal("https://login.microsoftonline.com/common/oauth2/v2.0/token", foreign.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task ThrottleBudgetPerAppAnswers429WithRetryAfter()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var token = sandbox.Host.Tokens.IssueAppOnly(SandboxSeed.AutomationAppId, "Automation", Guid.NewGuid(), "https://graph.microsoft.com", new[] { "Sites.Read.All" }, 1);
        sandbox.Host.SetThrottleBudget(SandboxSeed.AutomationAppId, 2);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://graph.microsoft.com/v1.0/sites/root");
            request.Headers.Authorization = new("Bearer", token.Token);
            statuses.Add(await sandbox.Http.SendAsync(request));
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, statuses[1].StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2].StatusCode);
        Assert.InRange(int.Parse(statuses[2].Headers.GetValues("Retry-After").Single()), 1, 60);
        var entry = sandbox.Host.GetRequestLog()[^1];
        Assert.Equal((429, "https://graph.microsoft.com", "app", SandboxSeed.AutomationAppId.ToString()), (entry.Status, entry.Audience, entry.IdentityType, entry.AppId));
    }

    [Fact]
    public async Task ControlApiOverHttpAndNeverAsAMicrosoftHost()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var control = sandbox.Host.ControlUrl;
        var added = await sandbox.Http.PostAsJsonAsync(control + "/faults", new { host = "graph.microsoft.com", status = 429, retryAfterSeconds = 1, times = 1 });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sandbox.Http.GetAsync("https://graph.microsoft.com/v1.0/me")).StatusCode);

        var bad = await sandbox.Http.PostAsJsonAsync(control + "/faults", new { status = 200, kind = "Status" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var requests = await sandbox.Http.GetFromJsonAsync<JsonElement>(control + "/requests");
        var only = Assert.Single(requests.EnumerateArray());
        Assert.Equal("graph.microsoft.com", only.GetProperty("host").GetString());

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.PostAsync(control + $"/users/{sandbox.Host.Seed.Admin.UserPrincipalName}/revoke-refresh-tokens", null)).StatusCode);
        Assert.NotNull(sandbox.Host.Directory.TokensValidFrom(sandbox.Host.Seed.Admin.Id));
        Assert.Equal(HttpStatusCode.NoContent, (await sandbox.Http.PostAsync(control + $"/apps/{SandboxSeed.LimitedAppId}/withdraw-consent?resource=graph", null)).StatusCode);
        var lifetimes = await sandbox.Http.PutAsJsonAsync(control + "/lifetimes", new { accessTokenSeconds = 5 });
        Assert.Equal(5, (await TemporarySandbox.JsonAsync(lifetimes)).GetProperty("accessTokenSeconds").GetDouble());
        Assert.Equal(TimeSpan.FromSeconds(5), sandbox.Host.Lifetimes.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await sandbox.Http.PutAsJsonAsync(control + $"/throttle/{SandboxSeed.AutomationAppId}", new { requestsPerMinute = 3 })).StatusCode);
        Assert.Equal(3, sandbox.Host.Throttling.List()[SandboxSeed.AutomationAppId]);

        // The control API is not there under a Microsoft host name.
        var asGraph = await sandbox.Http.GetAsync("https://graph.microsoft.com/_sandbox/requests");
        Assert.Equal(HttpStatusCode.NotFound, asGraph.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await sandbox.Http.DeleteAsync(control + "/requests")).StatusCode);
        Assert.Empty(sandbox.Host.GetRequestLog());
    }
}
