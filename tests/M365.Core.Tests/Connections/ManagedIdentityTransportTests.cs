using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Tests.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Connections;

/// <summary>
/// MSAL reads IDENTITY_ENDPOINT/IDENTITY_HEADER itself; this proves its request goes through the session transport
/// (and the sandbox router) rather than a private HttpClient. Environment variables are process-wide, so this class
/// sits in its own non-parallel collection.
/// </summary>
[Collection(nameof(ManagedIdentityTransportTests))]
[CollectionDefinition(nameof(ManagedIdentityTransportTests), DisableParallelization = true)]
public sealed class ManagedIdentityTransportTests
{
    [Fact]
    public async Task ManagedIdentityRequestGoesThroughTheInjectedTransport()
    {
        SandboxDescriptor sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());
        string token = TestJwt.Create(new { aud = "https://graph.microsoft.com", tid = "t", idtyp = "app", roles = new[] { "Sites.Read.All" } });
        long expiresOn = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var server = new FakeHttpHandler((request, body) => FakeHttpHandler.Json(JsonSerializer.Serialize(new
        {
            access_token = token,
            expires_on = expiresOn.ToString(),
            resource = "https://graph.microsoft.com",
            token_type = "Bearer",
        })));
        using HttpTransport transport = HttpTransport.CreateWithHandler(new SandboxRoutingHandler(sandbox, server), sandbox);

        string? oldEndpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        string? oldHeader = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", "https://127.0.0.1:5443/msi/token");
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "header-secret");
        try
        {
            Connection connection = await new ConnectionFactory(transport).ConnectAsync(new SignInOptions { AuthenticationType = AuthenticationType.ManagedIdentity });

            var (request, _) = Assert.Single(server.Requests);
            Assert.Equal("127.0.0.1", request.RequestUri!.Host);
            Assert.Equal("/msi/token", request.RequestUri.AbsolutePath);
            Assert.Contains("resource=https", request.RequestUri.Query);
            Assert.Equal("header-secret", Assert.Single(request.Headers.GetValues("X-IDENTITY-HEADER")));
            Assert.True(connection.IsAppOnly);
            Assert.Equal(token, (await connection.GetTokenAsync(new Uri("https://graph.microsoft.com/v1.0/sites"))).Token);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", oldEndpoint);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", oldHeader);
        }
    }
}
