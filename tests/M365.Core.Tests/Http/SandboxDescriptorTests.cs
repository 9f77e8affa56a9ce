using M365.Core.Http;

namespace M365.Core.Tests.Http;

public sealed class SandboxDescriptorTests
{
    internal const string Pin = "8e2ddb4f3f4f1c1a7a1e6fb8a4c1f7e0b0cde3d1b8f1a3a6b6c0a9e0f1d2c3b4";

    internal static string Json(string url = "https://127.0.0.1:5443", int port = 5443, string pin = Pin) =>
        $"{{\"url\":\"{url}\",\"port\":{port},\"certificateSha256\":\"{pin}\",\"caCertificatePath\":\"/tmp/ca.pem\",\"tenantName\":\"contoso\",\"tenantId\":\"11111111-2222-3333-4444-555555555555\",\"controlUrl\":\"https://127.0.0.1:5443/_sandbox\"}}";

    [Fact]
    public void LoadsAValidDescriptor()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
        File.WriteAllText(path, Json());
        try
        {
            SandboxDescriptor descriptor = SandboxDescriptor.Load(path);

            Assert.Equal(new Uri("https://127.0.0.1:5443"), descriptor.Url);
            Assert.Equal(5443, descriptor.Port);
            Assert.Equal(Pin, descriptor.CertificateSha256);
            Assert.Equal("contoso", descriptor.TenantName);
            Assert.Equal("11111111-2222-3333-4444-555555555555", descriptor.TenantId);
            Assert.Equal("/tmp/ca.pem", descriptor.CaCertificatePath);
            Assert.Equal(new Uri("https://127.0.0.1:5443/_sandbox"), descriptor.ControlUrl);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheSpkiPinIsOptionalAndReadWhenPresent()
    {
        const string Spki = "q1tYRAX+oD8mc4Sd3qd8Ylrlt5TcIqYrb9Qm8CNcYdA=";
        string withPin = Json().TrimEnd('}') + ",\"certificateSpkiSha256\":\"" + Spki + "\",\"identityServerThumbprint\":\"AB\"}";

        Assert.Equal(Spki, SandboxDescriptor.Parse(withPin).CertificateSpkiSha256);
        Assert.Null(SandboxDescriptor.Parse(Json()).CertificateSpkiSha256);
    }

    [Fact]
    public void MissingFileIsNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + "-missing.json");
        var error = Assert.Throws<M365Exception>(() => SandboxDescriptor.Load(path));

        Assert.Equal(TransportErrorIds.SandboxDescriptorNotFound, error.ErrorId);
        Assert.Equal(path, error.Target);
    }

    [Fact]
    public void AFolderIsNotFoundAndAnEndlessOrHugeFileIsInvalidWithoutReadingItAll()
    {
        string folder = Path.GetTempPath();
        string huge = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + "-huge.json");
        File.WriteAllText(huge, "{\"url\":\"" + new string('a', 100_000) + "\"}");
        try
        {
            var isFolder = Assert.Throws<M365Exception>(() => SandboxDescriptor.Load(folder));
            var isHuge = Assert.Throws<M365Exception>(() => SandboxDescriptor.Load(huge));

            Assert.Equal(TransportErrorIds.SandboxDescriptorNotFound, isFolder.ErrorId);
            Assert.Contains("folder", isFolder.Message);
            Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, isHuge.ErrorId);
            Assert.Contains("larger than", isHuge.Message);
            if (!OperatingSystem.IsWindows())
            {
                // Never ends: an unbounded read ran out of memory after 12 s.
                var endless = Assert.Throws<M365Exception>(() => SandboxDescriptor.Load("/dev/zero"));
                Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, endless.ErrorId);
            }
        }
        finally
        {
            File.Delete(huge);
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"port\":5443,\"certificateSha256\":\"" + Pin + "\"}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"certificateSha256\":\"" + Pin + "\"}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"port\":\"x\",\"certificateSha256\":\"" + Pin + "\"}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"port\":5443}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"port\":5443,\"certificateSha256\":\"abcd\"}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"port\":5443,\"certificateSha256\":\"zz2ddb4f3f4f1c1a7a1e6fb8a4c1f7e0b0cde3d1b8f1a3a6b6c0a9e0f1d2c3b4\"}")]
    [InlineData("{\"url\":\"https://10.0.0.5:5443\",\"port\":5443,\"certificateSha256\":\"" + Pin + "\"}")]
    [InlineData("{\"url\":\"http://127.0.0.1:5443\",\"port\":5443,\"certificateSha256\":\"" + Pin + "\"}")]
    [InlineData("{\"url\":\"https://127.0.0.1:5443\",\"port\":6000,\"certificateSha256\":\"" + Pin + "\"}")]
    public void InvalidDescriptorsAreRejected(string json)
    {
        var error = Assert.Throws<M365Exception>(() => SandboxDescriptor.Parse(json, "test.json"));

        Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, error.ErrorId);
        Assert.Contains("test.json", error.Message);
    }

    // Found by the sandbox descriptor properties: text that is not valid UTF-16 threw ArgumentException, not the documented error.
    [Fact]
    public void TextWithALoneSurrogateIsInvalid()
    {
        var error = Assert.Throws<M365Exception>(() => SandboxDescriptor.Parse("{\"tenantName\":\"\ud800\"}", "test.json"));

        Assert.Equal(TransportErrorIds.SandboxDescriptorInvalid, error.ErrorId);
    }
}
