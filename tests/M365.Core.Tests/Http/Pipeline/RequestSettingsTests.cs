using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Requests;
using M365.Core.Tests.Integration;
using M365.Sandbox.Control;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>Request settings: validated, layered (defaults, session, connection) and used by the connection's one pipeline.</summary>
public sealed class RequestSettingsTests : IClassFixture<SandboxConnectionFixture>, IDisposable
{
    private readonly SandboxConnectionFixture _fixture;

    public RequestSettingsTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    public void Dispose()
    {
        _fixture.Connection.SetRequestSettings(null);
        _fixture.Connection.SetSessionRequestSettings(null);
    }

    [Fact]
    public void ConnectionValuesOverrideSessionValuesWhichOverrideTheDefaultsOneByOne()
    {
        var connection = _fixture.Connection;
        connection.SetSessionRequestSettings(new RequestSettings(6, TimeSpan.FromSeconds(5), null));
        connection.SetRequestSettings(RequestSettings.None.With(maxRetries: 1));

        HttpRetryOptions options = connection.RetryOptions;

        Assert.Equal(1, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(100), options.PerAttemptTimeout);
        Assert.Equal(1, connection.Requests.Options.MaxRetries);
    }

    [Fact]
    public void ARetryDelayAboveTheDelayCapRaisesTheCapAndValuesOutOfRangeAreRefused()
    {
        HttpRetryOptions options = new RequestSettings(null, TimeSpan.FromMinutes(10), null).ApplyTo(new HttpRetryOptions());

        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxDelay);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestSettings(11, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestSettings(null, TimeSpan.FromHours(2), null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestSettings(null, null, TimeSpan.FromMilliseconds(5)));
        Assert.Equal("MaxRetry 2, RequestTimeout 30 s", new RequestSettings(2, null, TimeSpan.FromSeconds(30)).ToString());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    public async Task EveryServiceRequestMakesTheAttemptsTheSettingsAllow(int maxRetries, int attempts)
    {
        _fixture.Connection.SetSessionRequestSettings(new RequestSettings(maxRetries, TimeSpan.FromMilliseconds(10), null));
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals", Kind = FaultKind.Status, Status = 503, Times = 20 });

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => new ServiceRequestClient(_fixture.Connection).SendAsync(new ServiceRequest("v1.0/servicePrincipals?$top=1") { Service = "Graph" }));

        Assert.Equal(HttpErrorIds.ServiceUnavailable, error.ErrorId);
        Assert.Contains("Set-M365RequestSetting", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(attempts, _fixture.Sandbox.GetRequestLog().Count(e => e.Path == "/v1.0/servicePrincipals" && e.Status == 503));
    }

    [Fact]
    public async Task TheRequestTimeoutBoundsEachAttemptAndItsErrorNamesTheSetting()
    {
        _fixture.Connection.SetRequestSettings(new RequestSettings(0, null, TimeSpan.FromSeconds(1)));
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals", Kind = FaultKind.Latency, LatencyMilliseconds = 30_000, Times = 1 });

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => new ServiceRequestClient(_fixture.Connection).SendAsync(new ServiceRequest("v1.0/servicePrincipals?$top=1") { Service = "Graph" }));

        Assert.Equal(HttpErrorIds.RequestTimedOut, error.ErrorId);
        Assert.Contains("Set-M365RequestSetting -RequestTimeout", error.RecommendedAction, StringComparison.Ordinal);
    }
}
