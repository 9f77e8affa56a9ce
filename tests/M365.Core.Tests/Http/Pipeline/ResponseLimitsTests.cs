using System.Net;
using System.Text;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>
/// Answers too large to hold (issue 16, security 6) and listings that never end (security 9): the sender reads a body only up
/// to its limit, and pages only up to its page limit, and says where it stopped.
/// </summary>
public sealed class ResponseLimitsTests
{
    private const string List = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=999";
    private const long DefaultLimit = 64L * 1024 * 1024;

    [Fact]
    public async Task AChunkedBodyOverTheDefaultLimitIsResponseTooLargeAndIsNotReadToItsEnd()
    {
        var body = new CountingJsonStream(200L * 1024 * 1024);
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 0 }, server: new StreamServer(() => body, declareLength: false));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(List)));

        Assert.Equal("ResponseTooLarge", error.ErrorId);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal(List, error.Target);
        Assert.Contains("67,108,864 bytes (64 MiB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("-MaximumResponseSize", error.RecommendedAction, StringComparison.Ordinal);

        // Reading stops one chunk past the limit: the rest of the 200 MB is never read, so never held.
        Assert.InRange(body.BytesRead, DefaultLimit + 1, DefaultLimit + 1024 * 1024);
    }

    [Fact]
    public async Task ADeclaredLengthOverTheLimitIsRefusedBeforeReadingAnyOfTheBody()
    {
        var body = new CountingJsonStream(150L * 1024 * 1024);
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 0 }, server: new StreamServer(() => body, declareLength: true));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(List)));

        Assert.Equal("ResponseTooLarge", error.ErrorId);
        Assert.Contains("a body of 157,286,400 bytes (150 MiB) by its Content-Length", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, body.BytesRead);
    }

    // The memory claim, with a generous bound: reading a 200 MB body must not allocate anything like 200 MB (before the bound,
    // HttpClient buffered the whole body and the reader copied it: over 600 MB for this answer).
    [Fact]
    public async Task MemoryStaysNearTheLimitWhateverTheBodySize()
    {
        const long limit = 4 * 1024 * 1024;
        var body = new CountingJsonStream(200L * 1024 * 1024);
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 0, MaxResponseBytes = limit }, server: new StreamServer(() => body, declareLength: false));
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(List)));

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(HttpErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated to refuse a 200 MB body with a 4 MiB limit.");
    }

    [Fact]
    public async Task WithLimitsRaisesOrLowersTheLimitForOneCaller()
    {
        const int size = 3 * 1024 * 1024;
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 0 }, server: new StreamServer(() => new CountingJsonStream(size), declareLength: false));

        using var read = await harness.Sender.WithLimits(maxResponseBytes: size).GetJsonAsync(new Uri(List));
        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.WithLimits(maxResponseBytes: size - 1).GetJsonAsync(new Uri(List)));

        Assert.Equal(size - "{\"value\":[],\"padding\":\"\"}".Length, read.RootElement.GetProperty("padding").GetString()!.Length);
        Assert.Equal(HttpErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Contains("3,145,727 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => harness.Sender.WithLimits(maxResponseBytes: 0));
    }

    [Fact]
    public async Task AHugeErrorBodyIsCutAndTheStatusStillReported()
    {
        var body = new CountingJsonStream(100L * 1024 * 1024);
        using var harness = new SenderHarness(new HttpRetryOptions { MaxRetries = 0 }, server: new StreamServer(() => body, declareLength: false, status: HttpStatusCode.InternalServerError));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(List)));

        Assert.Equal(HttpErrorIds.ServiceError, error.ErrorId);
        Assert.InRange(body.BytesRead, 1, 1024 * 1024);
    }

    [Fact]
    public async Task EndlessDistinctNextLinksStopAtTheDefaultPageLimitNamingWhereAndHowMany()
    {
        var server = new EndlessPages();
        using var harness = new SenderHarness(server: server);
        int pages = 0;

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.ForEachPageAsync(new Uri(List), (value, ct) =>
        {
            pages++;
            return Task.CompletedTask;
        }));

        Assert.Equal(HttpErrorIds.ODataPageLimitExceeded, error.ErrorId);
        Assert.Equal(1000, pages);
        Assert.Equal(1000, server.Requests);
        Assert.Equal(EndlessPages.Link(1001), error.Target);
        Assert.Contains("1,000 pages, after 2,000 items", error.Message, StringComparison.Ordinal);
        Assert.Contains("-MaximumPageCount", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageLimitOfTheCallerReplacesTheDefault()
    {
        var server = new EndlessPages();
        using var harness = new SenderHarness(server: server);

        var error = await Assert.ThrowsAsync<M365HttpException>(async () =>
        {
            await foreach (var _ in harness.Sender.WithLimits(maxPages: 3).GetItemsAsync(new Uri(List)))
            {
            }
        });

        Assert.Equal(HttpErrorIds.ODataPageLimitExceeded, error.ErrorId);
        Assert.Equal(3, server.Requests);
    }

    /// <summary><c>{"value":[],"padding":"xxx…"}</c> of an exact length, made as it is read, counting what was read.</summary>
    private sealed class CountingJsonStream(long length) : Stream
    {
        private static readonly byte[] Head = Encoding.ASCII.GetBytes("{\"value\":[],\"padding\":\"");
        private static readonly byte[] Tail = Encoding.ASCII.GetBytes("\"}");

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - BytesRead);
            for (int i = 0; i < n; i++)
            {
                long at = BytesRead + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : at >= length - Tail.Length ? Tail[at - (length - Tail.Length)] : (byte)'x';
            }

            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class StreamServer(Func<Stream> body, bool declareLength, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Stream stream = body();
            var content = new StreamContent(stream);
            content.Headers.ContentType = new("application/json");
            content.Headers.ContentLength = declareLength ? stream.Length : null;
            return Task.FromResult(new HttpResponseMessage(status) { Content = content, RequestMessage = request });
        }
    }

    /// <summary>A hostile Graph whose every page links to a new one; it refuses to go past 1,001 pages so a test cannot run away.</summary>
    private sealed class EndlessPages : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        public static string Link(int page) => List + "&$skiptoken=" + page;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int page = Interlocked.Increment(ref _requests);
            if (page > 1001)
            {
                throw new InvalidOperationException("The pager went past 1,001 pages.");
            }

            string json = "{\"value\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"@odata.nextLink\":\"" + Link(page + 1) + "\"}";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request });
        }
    }
}
