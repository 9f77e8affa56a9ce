using System.Net;
using M365.Core.Authentication;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>A 401 with a Continuous Access Evaluation claims challenge: one token request with the claims, one resend.</summary>
public sealed class ClaimsChallengeSenderTests
{
    private const string GraphUrl = "https://graph.microsoft.com/v1.0/me";
    private const string Claims = "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1740819600\"}}}";

    [Fact]
    public async Task AChallengeGetsOneTokenWithItsClaimsAndOneResend()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => Challenge())
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok("{\"id\":\"me\"}"));

        using var document = await harness.Sender.GetJsonAsync(new Uri(GraphUrl));

        Assert.Equal("me", document.RootElement.GetProperty("id").GetString());
        ReceivedRequest[] requests = harness.Handler.Received.ToArray();
        Assert.Equal("Bearer token-1", requests[0].Authorization);
        Assert.Equal("Bearer claims-token-2", requests[1].Authorization);
        Assert.Equal(new[] { Claims }, harness.Acquirer.ClaimsRequests.ToArray());
        Assert.Equal(new[] { false }, harness.Acquirer.ForceFlags.ToArray());
        Assert.Contains(harness.Verbose, line => line.Contains("claims challenge", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Verbose, line => line.Contains("token-", StringComparison.Ordinal));
        harness.Handler.AssertAllConsumed();

        // The claims token replaced the cached one: the next call uses it with no token request.
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok());
        (await harness.Sender.GetJsonAsync(new Uri(GraphUrl))).Dispose();
        Assert.Equal("Bearer claims-token-2", harness.Handler.Received.Last().Authorization);
        Assert.Equal(2, harness.Acquirer.Calls);
    }

    [Fact]
    public async Task ASecondChallengeIsClaimsChallengeFailedNotALoop()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => Challenge())
            .Expect(HttpMethod.Get, GraphUrl, () => Challenge("Location policy: \"blocked\""));

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(AuthenticationErrorIds.ClaimsChallengeFailed, error.ErrorId);
        Assert.Contains("again", error.Message, StringComparison.Ordinal);
        Assert.Contains("Location policy", error.Message, StringComparison.Ordinal);
        Assert.Contains("request-42", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connect-M365", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(harness.Acquirer.ClaimsRequests);
        Assert.Equal(2, harness.Handler.Received.Count);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task AClaimsRequestThatNeedsASignInIsReauthenticationRequired()
    {
        using var harness = new SenderHarness();
        harness.Acquirer.ClaimsBehaviour = (resource, claims, ct, call) => throw new M365AuthenticationException(
            AuthenticationErrorIds.ReauthenticationRequired, "The sign-in has expired or was revoked. Entra ID said: AADSTS50173: revoked", "Run Connect-M365 again.", 50173);
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => Challenge());

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, error.ErrorId);
        Assert.True(error.RequiresSignIn);
        Assert.Equal(50173, error.AadstsCode);
        Assert.Contains("claims challenge", error.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS50173", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Handler.Received);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task AnotherRefusalOfTheClaimsRequestIsClaimsChallengeFailedWithTheReason()
    {
        using var harness = new SenderHarness();
        harness.Acquirer.ClaimsBehaviour = (resource, claims, ct, call) => throw new M365AuthenticationException(
            AuthenticationErrorIds.TokenRequestFailed, "Entra ID refused the token request. Entra ID said: AADSTS50000: odd", null, 50000);
        harness.Handler.Expect(HttpMethod.Get, GraphUrl, () => Challenge());

        var error = await Assert.ThrowsAsync<M365AuthenticationException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(AuthenticationErrorIds.ClaimsChallengeFailed, error.ErrorId);
        Assert.Contains("AADSTS50000", error.Message, StringComparison.Ordinal);
        Assert.IsType<M365AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task APlain401AfterTheClaimsTokenIsUnauthorizedWithoutAnotherRefresh()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => Challenge())
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Status(401, json: "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"x\"}}"));

        var error = await Assert.ThrowsAsync<M365HttpException>(() => harness.Sender.GetJsonAsync(new Uri(GraphUrl)));

        Assert.Equal(HttpErrorIds.Unauthorized, error.ErrorId);
        Assert.Equal(2, harness.Acquirer.Calls);
        harness.Handler.AssertAllConsumed();
    }

    [Fact]
    public async Task AChallengeAfterAPlainRefreshIsAnsweredOnce()
    {
        using var harness = new SenderHarness();
        harness.Handler
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Status(401, json: "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"x\"}}"))
            .Expect(HttpMethod.Get, GraphUrl, () => Challenge())
            .Expect(HttpMethod.Get, GraphUrl, () => StrictHttpHandler.Ok());

        (await harness.Sender.GetJsonAsync(new Uri(GraphUrl))).Dispose();

        Assert.Equal(new[] { "Bearer token-1", "Bearer token-2", "Bearer claims-token-3" }, harness.Handler.Received.Select(r => r.Authorization).ToArray());
        harness.Handler.AssertAllConsumed();
    }

    private static HttpResponseMessage Challenge(string? description = null)
    {
        HttpResponseMessage response = StrictHttpHandler.Json(HttpStatusCode.Unauthorized, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Continuous access evaluation resulted in challenge.\"}}");
        string encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Claims));
        response.Headers.TryAddWithoutValidation(
            "WWW-Authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", "
            + (description is null ? string.Empty : "error_description=\"" + description.Replace("\"", "\\\"") + "\", ")
            + "claims=\"" + encoded + "\"");
        response.Headers.TryAddWithoutValidation("request-id", "request-42");
        return response;
    }
}
