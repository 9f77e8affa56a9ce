using System.Net.Http;
using M365.Core.Http;
using M365.Core.Services;
using M365.Core.Services.Requests;
using M365.Core.Tests.Integration;
using M365.Sandbox.Control;

namespace M365.Core.Tests.Services;

/// <summary>Streamed downloads (-OutFile), streamed uploads (-InFile) and byte bodies of raw requests, on an app-only connection to the sandbox.</summary>
public sealed class ServiceTransferTests : IClassFixture<SandboxConnectionFixture>, IDisposable
{
    private readonly SandboxConnectionFixture _fixture;
    private readonly ServiceRequestClient _client;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "m365-transfer-" + Guid.NewGuid().ToString("N"));

    public ServiceTransferTests(SandboxConnectionFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
        _client = new ServiceRequestClient(fixture.Connection);
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void LargeBody(long bytes, bool declareLength) =>
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/servicePrincipals", Kind = FaultKind.LargeBody, BodyBytes = bytes, DeclareLength = declareLength });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADownloadOverTheMemoryLimitGoesToTheFileWithProgressEachMibAndOneFinalReport(bool declareLength)
    {
        const long size = 80L * 1024 * 1024;
        LargeBody(size, declareLength);
        var reports = new List<TransferProgress>();
        string path = Path.Combine(_folder, "big.json");

        ServiceResponse response = await _client.DownloadAsync(new ServiceRequest("v1.0/servicePrincipals") { Service = "Graph", Progress = reports.Add }, path);

        Assert.Equal(size, response.BytesWritten);
        Assert.Equal(size, new FileInfo(path).Length);
        Assert.Equal(new[] { "big.json" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.InRange(reports.Count, 79, 82);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Bytes < p.Second.Bytes));
        Assert.All(reports, r => Assert.False(r.IsUpload));
        Assert.Equal(declareLength ? size : null, reports[0].TotalBytes);
        Assert.True(reports[^1].Completed);
        Assert.Equal(size, reports[^1].Bytes);
        Assert.Equal(declareLength ? 100 : null, reports[^1].Percent);
    }

    [Fact]
    public async Task ACancelledDownloadLeavesTheOldFileAndNoPartialFile()
    {
        LargeBody(200L * 1024 * 1024, declareLength: true);
        string path = Path.Combine(_folder, "kept.json");
        File.WriteAllText(path, "old");
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.DownloadAsync(
            new ServiceRequest("v1.0/servicePrincipals") { Service = "Graph", Progress = p => { if (p.Bytes > 4 * 1024 * 1024) { cancel.Cancel(); } } },
            path,
            cancel.Token));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AFailedAnswerIsTheUsualErrorAndWritesNoFile()
    {
        string path = Path.Combine(_folder, "missing.json");

        var error = await Assert.ThrowsAsync<M365ServiceException>(() => _client.DownloadAsync(new ServiceRequest("v1.0/servicePrincipals/" + Guid.NewGuid()) { Service = "Graph" }, path));

        Assert.Equal(HttpErrorIds.ResourceNotFound, error.ErrorId);
        Assert.Equal(404, error.StatusCode);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AFileBodyIsStreamedAndSentOnceEvenWhenThrottled()
    {
        string path = Path.Combine(_folder, "batch.json");
        File.WriteAllText(path, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/servicePrincipals?$top=1\"}]}");
        var request = new ServiceRequest("https://graph.microsoft.com/v1.0/$batch") { Method = HttpMethod.Post, InFile = path, ContentType = "application/json" };

        ServiceResponse response = await _client.SendAsync(request);
        _fixture.Sandbox.InjectFault(new FaultRule { Host = "graph.microsoft.com", Path = "/v1.0/$batch", Kind = FaultKind.Status, Status = 503, Times = 5 });
        var throttled = await Assert.ThrowsAsync<M365ServiceException>(() => _client.SendAsync(request));

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"responses\"", response.Body, StringComparison.Ordinal);
        Assert.Equal(HttpErrorIds.ServiceUnavailable, throttled.ErrorId);
        Assert.Equal(1, _fixture.Sandbox.GetRequestLog().Count(e => e.Path == "/v1.0/$batch" && e.Status == 503));
    }

    [Fact]
    public async Task AFileBodyReportsUploadProgressEachMibAsItIsReadNotBefore()
    {
        string path = Path.Combine(_folder, "upload.bin");
        File.WriteAllBytes(path, new byte[(5 * 1024 * 1024) + 17]);
        var reports = new List<TransferProgress>();
        var factory = RequestContentFactory.For(new ServiceRequest("https://graph.microsoft.com/v1.0/x") { InFile = path, Progress = reports.Add });

        using HttpContent content = factory.Create()!;
        Assert.Empty(reports);
        Assert.Equal(new FileInfo(path).Length, content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", factory.DefaultContentType);
        await content.CopyToAsync(Stream.Null);

        Assert.InRange(reports.Count, 5, 6);
        Assert.All(reports, r => Assert.True(r.IsUpload));
        Assert.True(reports[^1].Completed);
        Assert.Equal(100, reports[^1].Percent);
        Assert.Equal(new FileInfo(path).Length, reports[^1].Bytes);
    }

    [Fact]
    public async Task AMissingFileIsRequestFileNotFoundAndABodyWithAFileIsRefused()
    {
        var missing = await Assert.ThrowsAsync<M365Exception>(() => _client.SendAsync(new ServiceRequest("https://graph.microsoft.com/v1.0/$batch") { Method = HttpMethod.Post, InFile = Path.Combine(_folder, "none.json") }));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.SendAsync(new ServiceRequest("https://graph.microsoft.com/v1.0/$batch") { Method = HttpMethod.Post, InFile = Path.Combine(_folder, "none.json"), Body = "{}" }));

        Assert.Equal(ServiceErrorIds.RequestFileNotFound, missing.ErrorId);
        Assert.Equal(Path.Combine(_folder, "none.json"), missing.Target);
        Assert.DoesNotContain(_fixture.Sandbox.GetRequestLog(), e => !e.IsTokenRequest);
    }

    [Fact]
    public async Task AByteBodyIsSentAsItIsAndTheAnswerMessageKeepsNoToken()
    {
        byte[] body = System.Text.Encoding.UTF8.GetBytes("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/servicePrincipals?$top=1\"}]}");

        using HttpResponseMessage message = await _client.SendForMessageAsync(new ServiceRequest("https://graph.microsoft.com/v1.0/$batch") { Method = HttpMethod.Post, Body = body, ContentType = "application/json" });

        Assert.Equal(200, (int)message.StatusCode);
        Assert.False(message.RequestMessage!.Headers.Contains("Authorization"));
        Assert.Contains("\"responses\"", await message.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
