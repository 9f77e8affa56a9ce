using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
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

    /// <summary>
    /// With IDENTITY_SERVER_THUMBPRINT set MSAL speaks the Service Fabric protocol, the one managed-identity source it
    /// sends the CAE parameters to, and asks the factory for a client with a server-certificate callback: the request
    /// must still go through the session transport (before the fix MSAL built its own HttpClient and left it), declare
    /// cp1 and, answering a claims challenge, name the rejected token by its SHA-256.
    /// </summary>
    [Fact]
    public async Task ServiceFabricManagedIdentityGoesThroughTheTransportAndSendsTheCaeParameters()
    {
        SandboxDescriptor sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());
        long expiresOn = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var issued = new List<string>();
        var server = new FakeHttpHandler((request, body) =>
        {
            string token = TestJwt.Create(new { aud = "https://graph.microsoft.com", tid = "t", idtyp = "app", n = issued.Count });
            issued.Add(token);
            return FakeHttpHandler.Json(JsonSerializer.Serialize(new { access_token = token, expires_on = expiresOn.ToString(), resource = "https://graph.microsoft.com", token_type = "Bearer" }));
        });
        using HttpTransport transport = HttpTransport.CreateWithHandler(new SandboxRoutingHandler(sandbox, server), sandbox);
        var saved = new[] { "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT" }.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", "https://127.0.0.1:5443/msi/token");
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "header-secret");
        Environment.SetEnvironmentVariable("IDENTITY_SERVER_THUMBPRINT", "0123456789ABCDEF0123456789ABCDEF01234567");
        try
        {
            var resources = new ResourceResolver(CloudEnvironment.Public, "contoso");
            var flow = (ManagedIdentityFlow)SignInFlowFactory.Create(
                new SignInOptions { AuthenticationType = AuthenticationType.ManagedIdentity }, "organizations", transport, TimeProvider.System, resources);

            // Forced: MSAL's managed-identity cache is process-wide, and another test may have filled it.
            // Not Graph, so the token stays out of the other test's way in that cache.
            M365Resource management = resources.FromName("Management");
            AccessToken first = await flow.AcquireAsync(management, forceRefresh: true, CancellationToken.None);
            AccessToken second = await flow.AcquireWithClaimsAsync(management, "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1700000000\"}}}", CancellationToken.None);

            var requests = server.Requests.ToArray();
            Assert.Equal(2, requests.Length);
            Assert.All(requests, r =>
            {
                Assert.Equal("/msi/token", r.Request.RequestUri!.AbsolutePath);
                Assert.Contains("api-version=2020-05-01", r.Request.RequestUri.Query);
                Assert.Contains("xms_cc=cp1", r.Request.RequestUri.Query);
                Assert.Equal("header-secret", Assert.Single(r.Request.Headers.GetValues("secret")));
                Assert.True(r.Request.Headers.Contains(CorrelationHeadersHandler.ClientRequestIdHeader));
            });
            Assert.DoesNotContain("token_sha256_to_refresh", requests[0].Request.RequestUri!.Query);
            string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(first.Token))).ToLowerInvariant();
            Assert.Contains("token_sha256_to_refresh=" + hash, requests[1].Request.RequestUri!.Query);
            Assert.Equal(issued[1], second.Token);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
