using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using M365.Core.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Http;

public sealed class SandboxRoutingHandlerTests
{
    private static readonly SandboxDescriptor Sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/me?$select=id", "graph.microsoft.com", "https://127.0.0.1:5443/v1.0/me?$select=id")]
    [InlineData("https://contoso-admin.sharepoint.com/_api/web", "contoso-admin.sharepoint.com", "https://127.0.0.1:5443/_api/web")]
    [InlineData("https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode", "login.microsoftonline.com", "https://127.0.0.1:5443/organizations/oauth2/v2.0/devicecode")]
    [InlineData("http://169.254.169.254/metadata/identity/oauth2/token?resource=x", "169.254.169.254", "https://127.0.0.1:5443/metadata/identity/oauth2/token?resource=x")]
    [InlineData("https://example.org:8443/x", "example.org:8443", "https://127.0.0.1:5443/x")]
    [InlineData("https://graph.microsoft.com/v1.0//me?$filter=a//b", "graph.microsoft.com", "https://127.0.0.1:5443/v1.0//me?$filter=a//b")]
    public async Task RewritesToSandboxKeepingTheRealHost(string url, string host, string sent)
    {
        var inner = new FakeHttpHandler();
        using var client = new HttpClient(new SandboxRoutingHandler(Sandbox, inner));

        await client.GetAsync(url);

        (HttpRequestMessage request, _) = Assert.Single(inner.Requests);
        Assert.Equal(new Uri(sent), request.RequestUri);
        Assert.Equal(host, request.Headers.Host);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com//127.0.0.1:9443/stolen")]
    [InlineData("https://graph.microsoft.com/\\evil.example/x")]
    [InlineData("https://graph.microsoft.com/./\\/evil.example/x")]
    public async Task APathThatNamesAnotherHostIsRefusedAndNeverRoutedThere(string url)
    {
        var inner = new FakeHttpHandler();
        using var client = new HttpClient(new SandboxRoutingHandler(Sandbox, inner));

        var error = await Assert.ThrowsAsync<M365Exception>(() => client.GetAsync(url));

        Assert.Equal(TransportErrorIds.InsecureRequestRefused, error.ErrorId);
        Assert.Empty(inner.Requests);
    }

    [Fact]
    public async Task DirectSandboxUrlsPassUnchanged()
    {
        var inner = new FakeHttpHandler();
        using var client = new HttpClient(new SandboxRoutingHandler(Sandbox, inner));

        await client.GetAsync("https://127.0.0.1:5443/msi/token?resource=https://graph.microsoft.com");

        (HttpRequestMessage request, _) = Assert.Single(inner.Requests);
        Assert.Equal("https://127.0.0.1:5443/msi/token?resource=https://graph.microsoft.com", request.RequestUri!.OriginalString);
        Assert.Null(request.Headers.Host);
    }

    [Theory]
    [InlineData("http://graph.microsoft.com/v1.0/me")]
    [InlineData("http://127.0.0.1:5443/x")]
    public async Task PlainHttpIsRefused(string url)
    {
        var inner = new FakeHttpHandler();
        using var client = new HttpClient(new SandboxRoutingHandler(Sandbox, inner));

        var error = await Assert.ThrowsAsync<M365Exception>(() => client.GetAsync(url));

        Assert.Equal(TransportErrorIds.InsecureRequestRefused, error.ErrorId);
        Assert.Empty(inner.Requests);
    }

    [Fact]
    public void PinAcceptsOnlyTheCertificateWhoseDerHashMatches()
    {
        using X509Certificate2 pinned = SelfSigned("CN=sandbox");
        using X509Certificate2 other = SelfSigned("CN=sandbox");
        byte[] pin = SHA256.HashData(pinned.GetRawCertData());

        Assert.True(CertificatePin.Matches(pinned, pin));
        Assert.False(CertificatePin.Matches(other, pin));
        Assert.False(CertificatePin.Matches(null, pin));
        Assert.False(CertificatePin.Matches(pinned, new byte[32]));
        Assert.False(CertificatePin.Matches(pinned, pin.Take(16).ToArray()));
    }

    [Fact]
    public void InnerHandlerNeverRedirectsAndUsesThePin()
    {
        using X509Certificate2 pinned = SelfSigned("CN=sandbox");
        string hex = Convert.ToHexString(SHA256.HashData(pinned.GetRawCertData())).ToLowerInvariant();
        SandboxDescriptor sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json(pin: hex));
        using X509Certificate2 other = SelfSigned("CN=attacker");

        using HttpClientHandler handler = SandboxRoutingHandler.CreateInnerHandler(sandbox);

        Assert.False(handler.AllowAutoRedirect);
        var callback = handler.ServerCertificateCustomValidationCallback!;
        Assert.True(callback(new HttpRequestMessage(), pinned, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(callback(new HttpRequestMessage(), other, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(callback(new HttpRequestMessage(), null, null, System.Net.Security.SslPolicyErrors.None));
    }

    internal static X509Certificate2 SelfSigned(string subject)
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
