using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Tests.Federation;

/// <summary>Calls of the pipeline token services and the federation control API, as a pipeline and a test make them.</summary>
internal static class FederationTestKit
{
    public static async Task<JsonObject> StateAsync(TemporarySandbox sandbox) =>
        JsonNode.Parse(await sandbox.Http.GetStringAsync(sandbox.Host.ControlUrl + "/federation"))!.AsObject();

    public static async Task<HttpResponseMessage> ConfigureAsync(TemporarySandbox sandbox, string source, string json) =>
        await sandbox.Http.PutAsync($"{sandbox.Host.ControlUrl}/federation/{source}", new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<string> MintAsync(TemporarySandbox sandbox, string source)
    {
        using var response = await sandbox.Http.PostAsync($"{sandbox.Host.ControlUrl}/federation/{source}/token", null);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    public static async Task ResetAsync(TemporarySandbox sandbox)
    {
        using var response = await sandbox.Http.PostAsync(sandbox.Host.ControlUrl + "/federation/reset", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>GET ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=… with the bearer, as the module does.</summary>
    public static async Task<HttpResponseMessage> GitHubTokenRequestAsync(TemporarySandbox sandbox, string? bearer, string? audience = FederatedIdentityCredential.DefaultAudience)
    {
        var github = (await StateAsync(sandbox))["github"]!;
        var url = github["ACTIONS_ID_TOKEN_REQUEST_URL"]!.GetValue<string>() + (audience is null ? string.Empty : "&audience=" + Uri.EscapeDataString(audience));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await sandbox.Http.SendAsync(request);
    }

    /// <summary>POST SYSTEM_OIDCREQUESTURI?api-version=7.1&amp;serviceConnectionId=… with the bearer, as the module does.</summary>
    public static async Task<HttpResponseMessage> AzureDevOpsTokenRequestAsync(TemporarySandbox sandbox, string? bearer, string? serviceConnectionId, string? apiVersion = "7.1")
    {
        var ado = (await StateAsync(sandbox))["azureDevOps"]!;
        var query = new List<string>();
        if (apiVersion is not null)
        {
            query.Add("api-version=" + apiVersion);
        }

        if (serviceConnectionId is not null)
        {
            query.Add("serviceConnectionId=" + serviceConnectionId);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, ado["SYSTEM_OIDCREQUESTURI"]!.GetValue<string>() + "?" + string.Join("&", query))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await sandbox.Http.SendAsync(request);
    }

    /// <summary>POST /token client_credentials with a jwt-bearer client assertion.</summary>
    public static Task<HttpResponseMessage> ExchangeAsync(TemporarySandbox sandbox, string assertion, Guid? appId = null, string scope = "https://graph.microsoft.com/.default") =>
        sandbox.PostFormAsync(sandbox.Token, ("grant_type", "client_credentials"), ("client_id", (appId ?? SandboxSeed.PipelinesAppId).ToString()),
            ("scope", scope), ("client_assertion_type", TokenEndpoint.JwtBearerAssertionType), ("client_assertion", assertion));

    /// <summary>True when the token's signature verifies with one of the JWKS keys (by its n and e alone).</summary>
    public static bool VerifiesWith(string token, JsonObject jwks)
    {
        var jwt = JsonWebToken.TryParse(token)!;
        foreach (var key in jwks["keys"]!.AsArray().OfType<JsonObject>().Where(k => k["kid"]!.GetValue<string>() == jwt.GetHeaderString("kid")))
        {
            using var rsa = RSA.Create(new RSAParameters
            {
                Modulus = Base64UrlDecode(key["n"]!.GetValue<string>()),
                Exponent = Base64UrlDecode(key["e"]!.GetValue<string>()),
            });
            if (jwt.VerifySignature(rsa))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Base64UrlDecode(string text) => Base64Url.TryDecode(text, out var bytes) ? bytes : throw new FormatException(text);
}
