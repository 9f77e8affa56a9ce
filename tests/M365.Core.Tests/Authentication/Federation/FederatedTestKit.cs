using System.Net;
using System.Security;
using M365.Core.Http;
using M365.Core.Tests.Http;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>Environments, tokens and a transport (the sandbox router over an in-memory server) for the federation tests.</summary>
internal static class FederatedTestKit
{
    public const string AppId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";
    public const string GitHubSubject = "repo:contoso/automation:ref:refs/heads/main";
    public const string GitHubRequestToken = "gh-request-token-SECRET-1234";
    public const string AdoAccessToken = "ado-system-access-token-SECRET-5678";

    public static readonly SandboxDescriptor Sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json());

    public static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.TryGetValue(name, out string? value) ? value : null;
    }

    public static (string, string)[] GitHub =>
    [
        ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://pipelines.actions.githubusercontent.com/abc/_apis/distributedtask/hubs/Actions/plans/p1/jobs/j1/idtoken?api-version=2.0"),
        ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GitHubRequestToken),
        ("GITHUB_ACTIONS", "true"),
    ];

    public static (string, string)[] AzureDevOps =>
    [
        ("SYSTEM_OIDCREQUESTURI", "https://dev.azure.com/contoso/0000-1111/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken"),
        ("SYSTEM_ACCESSTOKEN", AdoAccessToken),
        ("AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "5c2f0000-aaaa-bbbb-cccc-000000000001"),
        ("AZURESUBSCRIPTION_CLIENT_ID", "ado00000-0000-0000-0000-000000000001"),
        ("AZURESUBSCRIPTION_TENANT_ID", "ado00000-0000-0000-0000-0000000000aa"),
        ("TF_BUILD", "True"),
    ];

    public static string OidcToken(DateTimeOffset now, TimeSpan lifetime, string issuer = GitHubIssuer, string subject = GitHubSubject, string audience = "api://AzureADTokenExchange") =>
        TestJwt.Create(new { iss = issuer, sub = subject, aud = audience, nbf = now.ToUnixTimeSeconds(), iat = now.ToUnixTimeSeconds(), exp = (now + lifetime).ToUnixTimeSeconds(), jti = Guid.NewGuid() });

    public static HttpTransport Transport(FakeHttpHandler server) => HttpTransport.CreateWithHandler(new SandboxRoutingHandler(Sandbox, server), Sandbox);

    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (char c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new StringContent("{\"message\":\"Bad credentials\"}") };
}
