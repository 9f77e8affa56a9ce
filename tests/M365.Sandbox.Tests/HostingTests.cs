using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task DescriptorHasTheExactShapeAndThePinMatchesTheServedCertificate()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var host = sandbox.Host;
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(host.DescriptorPath));
        var root = json.RootElement;
        Assert.Equal(
            new[] { "url", "port", "certificateSha256", "caCertificatePath", "tenantName", "tenantId", "controlUrl", "identityEndpoint", "identityHeader", "identityServerThumbprint", "certificateSpkiSha256" },
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"https://127.0.0.1:{host.Port}", root.GetProperty("url").GetString());
        Assert.Equal(host.Port, root.GetProperty("port").GetInt32());
        Assert.NotEqual(0, host.Port);
        Assert.Equal("contoso", root.GetProperty("tenantName").GetString());
        Assert.Equal(host.TenantId, root.GetProperty("tenantId").GetGuid());
        Assert.Equal(host.Url + "/_sandbox", root.GetProperty("controlUrl").GetString());
        Assert.True(File.Exists(root.GetProperty("caCertificatePath").GetString()));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(sandbox.StateDirectory, "server.pfx")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(sandbox.StateDirectory, "token-signing-key.pem")));
        }

        var served = await ServedCertificateAsync(host.Port, "graph.microsoft.com");
        Assert.Equal(root.GetProperty("certificateSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(served.RawData)));
        Assert.Matches("^[0-9a-f]{64}$", host.CertificatePin);
        Assert.Equal(served.Thumbprint, root.GetProperty("identityServerThumbprint").GetString());
        // What Chromium's --ignore-certificate-errors-spki-list takes: base64 SHA-256 of the served key's SubjectPublicKeyInfo.
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(served.PublicKey.ExportSubjectPublicKeyInfo())), root.GetProperty("certificateSpkiSha256").GetString());
    }

    [Fact]
    public async Task ServerCertificateCoversEveryHostAndChainsToTheExportedCa()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        using var served = await ServedCertificateAsync(sandbox.Host.Port, "contoso-admin.sharepoint.com");
        var san = served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var names = san.EnumerateDnsNames().ToArray();
        foreach (var name in new[] { "login.microsoftonline.com", "graph.microsoft.com", "contoso.sharepoint.com", "contoso-admin.sharepoint.com", "contoso-my.sharepoint.com", "*.sharepoint.com", "manage.office.com", "management.azure.com", "www.yammer.com", "api.yammer.com", "graph.windows.net", "localhost" })
        {
            Assert.Contains(name, names);
        }

        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(sandbox.Host.CaCertificatePath));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(served));
    }

    [Fact]
    public async Task CertificatesAndSigningKeySurviveARestart()
    {
        var state = Path.Combine(Path.GetTempPath(), "m365-sandbox-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string pin, ca, token;
            await using (var first = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = state }))
            {
                (pin, ca) = (first.CertificatePin, await File.ReadAllTextAsync(first.CaCertificatePath));
                token = first.Tokens.IssueAppOnly(Guid.NewGuid(), "x", Guid.NewGuid(), "https://graph.microsoft.com", Array.Empty<string>(), 1).Token;
            }

            await using var second = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = state });
            Assert.Equal(pin, second.CertificatePin);
            Assert.Equal(ca, await File.ReadAllTextAsync(second.CaCertificatePath));
            var validator = second.Services.GetRequiredService<M365.Sandbox.Identity.AccessTokenValidator>();
            Assert.NotNull(validator.Validate(token, "https://graph.microsoft.com", out _));

            // Another tenant name needs other SANs: the server certificate is replaced, the CA kept.
            await second.DisposeAsync();
            await using var fabrikam = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = state, TenantName = "fabrikam" });
            Assert.NotEqual(pin, fabrikam.CertificatePin);
            Assert.Equal(ca, await File.ReadAllTextAsync(fabrikam.CaCertificatePath));
        }
        finally
        {
            System.IO.Directory.Delete(state, true);
        }
    }

    [Fact]
    public async Task BadRequestsGetServiceErrorShapesNeverStackTraces()
    {
        await using var sandbox = await TemporarySandbox.StartAsync();
        var big = new string('a', 1024 * 1024 + 10);
        var oversized = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "password"), ("password", big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Contains("error_description", await oversized.Content.ReadAsStringAsync());

        var noForm = await sandbox.Http.PostAsync(sandbox.Token, new StringContent("{}", Encoding.UTF8, "application/json"));
        await IdentityErrorTests.AssertAadErrorAsync(noForm, HttpStatusCode.BadRequest, "invalid_request", 900144);
        var noGrant = await sandbox.PostFormAsync(sandbox.Token, ("client_id", "x"));
        await IdentityErrorTests.AssertAadErrorAsync(noGrant, HttpStatusCode.BadRequest, "invalid_request", 900144);
        var unsupported = await sandbox.PostFormAsync(sandbox.Token, ("grant_type", "magic"), ("client_id", M365.Sandbox.Directory.SandboxSeed.PnpManagementShellAppId.ToString()));
        await IdentityErrorTests.AssertAadErrorAsync(unsupported, HttpStatusCode.BadRequest, "unsupported_grant_type", 70003);

        var unknownPath = await sandbox.Http.GetAsync("https://graph.microsoft.com/nothing/here");
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        Assert.DoesNotContain("   at ", await unknownPath.Content.ReadAsStringAsync());

        // Unserved paths whose last segment looks like a file (a UPN, a .aspx page) get the service's error body too.
        foreach (var dotted in new[] { "https://graph.microsoft.com/v1.0/contacts/admin@contoso.onmicrosoft.com", "https://contoso.sharepoint.com/sites/x/default.aspx" })
        {
            var response = await sandbox.Http.GetAsync(dotted);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("NotFound", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public void CommandLineParsesServeOptionsAndRejectsBadOnes()
    {
        var options = SandboxCommandLine.Parse(new[] { "serve", "--port", "0", "--tenant", "Fabrikam", "--state", "/tmp/x", "--interactive-approval", "--access-token-lifetime", "60", "--service-principals", "5", "--device-code-interval", "1" }, out var error, out var help);
        Assert.NotNull(options);
        Assert.Null(error);
        Assert.False(help);
        Assert.Equal((0, "fabrikam", "/tmp/x", true, TimeSpan.FromSeconds(60), 5), (options!.Port, options.TenantName, options.StateDirectory, options.InteractiveApproval, options.AccessTokenLifetime, options.ServicePrincipalCount));
        Assert.Equal(1, options.DeviceCodeIntervalSeconds);
        Assert.Equal(5443, SandboxCommandLine.Parse(new[] { "serve" }, out _, out _)!.Port);
        Assert.Equal(5, SandboxCommandLine.Parse(new[] { "serve" }, out _, out _)!.DeviceCodeIntervalSeconds);
        Assert.Equal(TimeSpan.FromSeconds(2.5), SandboxCommandLine.Parse(new[] { "serve", "--site-provisioning-seconds", "2.5" }, out _, out _)!.SiteProvisioningDelay);
        Assert.Equal(0, SandboxCommandLine.Parse(new[] { "serve" }, out _, out _)!.SiteProvisioningSeconds);

        Assert.Null(SandboxCommandLine.Parse(new[] { "--help" }, out error, out help));
        Assert.True(help);
        foreach (var bad in new[] { new[] { "serve", "--port", "99999" }, new[] { "serve", "--nope" }, new[] { "run" }, new[] { "serve", "--port" }, new[] { "serve", "--tenant", "a b" }, new[] { "serve", "--device-code-interval", "0" }, new[] { "serve", "--site-provisioning-seconds", "-1" }, new[] { "serve", "--site-provisioning-seconds", "soon" } })
        {
            Assert.Null(SandboxCommandLine.Parse(bad, out error, out help));
            Assert.False(help);
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    private static async Task<X509Certificate2> ServedCertificateAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        X509Certificate2? seen = null;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, cert, _, _) =>
        {
            seen = X509CertificateLoader.LoadCertificate(cert!.GetRawCertData());
            return true;
        });
        await ssl.AuthenticateAsClientAsync(serverName);
        return seen!;
    }
}
