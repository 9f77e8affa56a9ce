using System.Net;
using System.Text.Json;
using M365.Sandbox.Control;

namespace M365.Sandbox.Tests.Resources;

[Collection(ResourceSandboxCollection.Name)]
public sealed class GraphBatchEndpointTests
{
    private const string Graph = "https://graph.microsoft.com";
    private const string Batch = Graph + "/v1.0/$batch";
    private const string MicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";
    private readonly ResourceSandboxFixture _sandbox;

    public GraphBatchEndpointTests(ResourceSandboxFixture sandbox) => _sandbox = sandbox;

    private static object Get(string id, string url) => new { id, method = "GET", url };

    [Fact]
    public async Task Each_answer_carries_id_status_headers_and_body_and_a_missing_object_is_a_404_item()
    {
        var token = _sandbox.AppToken(Graph, "Application.Read.All");
        var missing = Guid.NewGuid();

        using var response = await _sandbox.PostJsonAsync(Batch, token, new
        {
            requests = new[]
            {
                Get("1", $"/servicePrincipals?$filter=appId eq '{MicrosoftGraphAppId}'&$select=id,appId"),
                Get("2", $"/servicePrincipals/{missing}"),
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var responses = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(200, responses["1"].GetProperty("status").GetInt32());
        Assert.StartsWith("application/json", responses["1"].GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal(MicrosoftGraphAppId, responses["1"].GetProperty("body").GetProperty("value")[0].GetProperty("appId").GetString());
        Assert.Equal(404, responses["2"].GetProperty("status").GetInt32());
        Assert.Equal("Request_ResourceNotFound", responses["2"].GetProperty("body").GetProperty("error").GetProperty("code").GetString());
        Assert.True(responses["2"].GetProperty("headers").TryGetProperty("request-id", out _));
    }

    [Fact]
    public async Task More_than_20_requests_or_duplicate_ids_give_400()
    {
        var token = _sandbox.AppToken(Graph, "Application.Read.All");
        var tooMany = Enumerable.Range(1, 21).Select(i => Get(i.ToString(), "/servicePrincipals?$top=1")).ToArray();
        var twenty = Enumerable.Range(1, 20).Select(i => Get(i.ToString(), "/servicePrincipals?$top=1")).ToArray();

        using var refused = await _sandbox.PostJsonAsync(Batch, token, new { requests = tooMany });
        using var duplicate = await _sandbox.PostJsonAsync(Batch, token, new { requests = new[] { Get("1", "/organization"), Get("1", "/organization") } });
        using var accepted = await _sandbox.PostJsonAsync(Batch, token, new { requests = twenty });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("limit of 20", (await ResourceSandboxFixture.JsonAsync(refused)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(20, (await ResourceSandboxFixture.JsonAsync(accepted)).GetProperty("responses").GetArrayLength());
    }

    [Fact]
    public async Task Each_inner_request_is_authorized_as_its_own_endpoint_would_be()
    {
        // Allowed to read service principals, not users.
        var token = _sandbox.AppToken(Graph, "Application.Read.All");

        using var response = await _sandbox.PostJsonAsync(Batch, token, new { requests = new[] { Get("sp", "/servicePrincipals?$top=1"), Get("users", "/users?$top=1") } });
        using var noToken = await _sandbox.SendAsync(HttpMethod.Post, Batch, "not-a-token", new StringContent("{\"requests\":[]}"), null);

        var responses = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(200, responses["sp"].GetProperty("status").GetInt32());
        Assert.Equal(403, responses["users"].GetProperty("status").GetInt32());
        Assert.Equal("Authorization_RequestDenied", responses["users"].GetProperty("body").GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    [Fact]
    public async Task A_fault_scoped_to_batch_items_throttles_one_item_only_and_the_log_names_its_batch()
    {
        var token = _sandbox.AppToken(Graph, "Application.Read.All");
        var target = Guid.NewGuid();
        var other = Guid.NewGuid();
        var faultId = _sandbox.Host.ThrottleBatchItems($"/v1.0/servicePrincipals/{target}", null, retryAfterSeconds: 2, times: 1);
        try
        {
            using var direct = await _sandbox.GetAsync($"{Graph}/v1.0/servicePrincipals/{target}", token);
            using var response = await _sandbox.PostJsonAsync(Batch, token, new { requests = new[] { Get("a", $"/servicePrincipals/{target}"), Get("b", $"/servicePrincipals/{other}") } });

            Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
            var responses = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(429, responses["a"].GetProperty("status").GetInt32());
            Assert.Equal("2", responses["a"].GetProperty("headers").GetProperty("Retry-After").GetString());
            Assert.Equal(404, responses["b"].GetProperty("status").GetInt32());
            var inner = _sandbox.Host.GetRequestLog().Where(e => e.Path == $"/v1.0/servicePrincipals/{target}").ToList();
            Assert.Null(inner[0].BatchId);
            Assert.NotNull(inner[^1].BatchId);
            Assert.Equal(faultId, inner[^1].FaultId);
        }
        finally
        {
            _sandbox.Host.Faults.Remove(faultId);
        }
    }

    [Fact]
    public async Task A_query_pattern_singles_out_one_lookup_among_many_to_the_same_path()
    {
        var token = _sandbox.AppToken(Graph, "Application.Read.All");
        var faultId = _sandbox.Host.ThrottleBatchItems("/v1.0/servicePrincipals", $"*appId eq '{MicrosoftGraphAppId}'*", retryAfterSeconds: 0.5, times: 1);
        try
        {
            using var response = await _sandbox.PostJsonAsync(Batch, token, new
            {
                requests = new[]
                {
                    Get("1", $"/servicePrincipals?$filter=appId eq '{MicrosoftGraphAppId}'"),
                    Get("2", $"/servicePrincipals?$filter=appId eq '{Guid.NewGuid()}'"),
                },
            });

            var statuses = (await ResourceSandboxFixture.JsonAsync(response)).GetProperty("responses").EnumerateArray()
                .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("status").GetInt32());
            Assert.Equal(429, statuses["1"]);
            Assert.Equal(200, statuses["2"]);
        }
        finally
        {
            _sandbox.Host.Faults.Remove(faultId);
        }
    }
}
