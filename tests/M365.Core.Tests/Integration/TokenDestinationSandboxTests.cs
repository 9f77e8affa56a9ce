using System.Net;
using System.Net.Sockets;
using M365.Core.Authentication;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Services;
using M365.Core.Services.Requests;
using M365.Sandbox.Directory;

namespace M365.Core.Tests.Integration;

/// <summary>
/// Where a token may go, on an app-only sandbox connection (issue 16): -Resource never sends a Microsoft token to another
/// host, caller headers cannot add header lines, a path starting with '//' reaches no other server, and the caller's own
/// API (App ID URI, app id) gets its own token.
/// </summary>
public sealed class TokenDestinationSandboxTests : IClassFixture<SandboxConnectionFixture>, IDisposable
{
    private readonly SandboxConnectionFixture _fixture;
    private readonly ServiceRequestClient _client;
    private readonly TcpListener _other = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _otherConnections;

    public TokenDestinationSandboxTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServiceRequestClient(fixture.Connection);
        _other.Start();
        _ = AcceptAsync();
    }

    private int OtherPort => ((IPEndPoint)_other.LocalEndpoint).Port;

    [Theory]
    [InlineData("https://evil.example/x", "Graph")]
    [InlineData("https://evil.example/x", "https://graph.microsoft.com")]
    [InlineData("https://evil.example/x", "00000003-0000-0000-c000-000000000000")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "Graph")]
    [InlineData("https://graph.microsoft.com/v1.0/me", "api://contoso-api")]
    public async Task AMicrosoftTokenNeverGoesToAnotherHost(string url, string resource)
    {
        var error = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest(url) { Resource = resource }));

        Assert.Equal(ResourceErrorIds.ResourceHostMismatch, error.ErrorId);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Theory]
    [InlineData("X-A", "b\r\nAuthorization: Bearer attacker")]
    [InlineData("X-A", "b\nAuthorization: Bearer attacker")]
    [InlineData("X-A", "b\rX-B: c")]
    [InlineData("X-A", "b\0c")]
    [InlineData("X-A\r\nAuthorization", "Bearer attacker")]
    [InlineData("X-A: b\r\nX-B", "c")]
    [InlineData("Authorization", "Bearer attacker")]
    [InlineData("authorization", "Bearer attacker")]
    public async Task AHeaderThatCouldAddHeaderLinesOrTheTokenIsRefused(string name, string value)
    {
        var request = new ServiceRequest("https://graph.microsoft.com/v1.0/servicePrincipals?$top=1");
        request.Headers[name] = value;

        var error = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(request));

        Assert.Equal(ServiceErrorIds.RequestHeaderInvalid, error.ErrorId);
        Assert.Equal(name, error.Target);
        Assert.DoesNotContain("attacker", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public async Task AContentTypeWithALineBreakIsRefused()
    {
        var request = new ServiceRequest("https://graph.microsoft.com/v1.0/groups") { Method = HttpMethod.Post, Body = "{}", ContentType = "application/json\r\nAuthorization: Bearer attacker" };

        var error = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(request));

        Assert.Equal(ServiceErrorIds.RequestHeaderInvalid, error.ErrorId);
        Assert.Equal("Content-Type", error.Target);
        Assert.Empty(_fixture.Sandbox.GetRequestLog());
    }

    [Fact]
    public async Task OrdinaryHeadersStillGoOut()
    {
        var request = new ServiceRequest("https://graph.microsoft.com/v1.0/servicePrincipals?$top=1");
        request.Headers["ConsistencyLevel"] = "eventual";

        ServiceResponse response = await _client.SendAsync(request);

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task APathStartingWithTwoSlashesReachesNoOtherServer()
    {
        string url = $"https://graph.microsoft.com//127.0.0.1:{OtherPort}/stolen";

        var viaClient = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest(url)));
        var viaService = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest($"\\\\127.0.0.1:{OtherPort}/stolen") { Service = "Graph" }));
        var viaSender = await Assert.ThrowsAsync<M365Exception>(() => _fixture.Connection.Requests.GetJsonAsync(new Uri(url)));

        Assert.Equal(ServiceErrorIds.RequestUriInvalid, viaClient.ErrorId);
        Assert.Equal(ServiceErrorIds.RequestUriInvalid, viaService.ErrorId);
        Assert.Equal(TransportErrorIds.InsecureRequestRefused, viaSender.ErrorId);
        Assert.Equal(0, Volatile.Read(ref _otherConnections));
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => e.Path.Contains("stolen", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SandboxSeed.ContosoApiUri, SandboxSeed.ContosoApiUri)]
    [InlineData("API://contoso-api/", "API://contoso-api")]
    public async Task YourOwnApiGetsATokenForItsAppIdUri(string name, string audience)
    {
        M365Resource resource = _fixture.Connection.Resources.FromName(name);

        AccessToken token = await _fixture.Connection.Tokens.GetTokenAsync(resource, forceRefresh: true);

        Assert.Equal(audience, token.GetString("aud"), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Items.Read.All", token.Roles);
    }

    [Fact]
    public async Task YourOwnApiGetsATokenForItsAppId()
    {
        string appId = SandboxSeed.ContosoApiAppId.ToString();

        AccessToken token = await _fixture.Connection.Tokens.GetTokenAsync(_fixture.Connection.Resources.FromName(appId), forceRefresh: true);

        Assert.Equal(appId, token.GetString("aud"));
        Assert.Contains("Items.Read.All", token.Roles);
    }

    [Fact]
    public async Task AnUnknownAppIdUriIsNotInTheTenant()
    {
        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => _fixture.Connection.Tokens.GetTokenAsync(_fixture.Connection.Resources.FromName("api://no-such-api"), forceRefresh: true));

        Assert.Equal(AuthenticationErrorIds.ResourceNotInTenant, error.ErrorId);
    }

    [Fact]
    public async Task YourOwnApiTokenGoesToTheRequestHostOnly()
    {
        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.SendAsync(new ServiceRequest("https://api.contoso.example/items") { Resource = SandboxSeed.ContosoApiUri }));

        Assert.Equal(HttpErrorIds.ResourceNotFound, error.ErrorId);
        var log = _fixture.Sandbox.GetRequestLog();
        Assert.Contains(log, e => e.IsTokenRequest && string.Equals(e.Audience, SandboxSeed.ContosoApiUri, StringComparison.OrdinalIgnoreCase));
        Assert.Single(log, e => !e.IsTokenRequest);
        Assert.Equal("api.contoso.example", Assert.Single(log, e => !e.IsTokenRequest).Host);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _other.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using TcpClient client = await _other.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _otherConnections);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
        {
            // Stopped with the test.
        }
    }
}
