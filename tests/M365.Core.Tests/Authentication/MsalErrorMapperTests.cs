using M365.Core.Authentication;
using Microsoft.Identity.Client;

namespace M365.Core.Tests.Authentication;

public sealed class MsalErrorMapperTests
{
    [Theory]
    [InlineData(700082, AuthenticationErrorIds.ReauthenticationRequired, "Connect-M365 again")]
    [InlineData(50173, AuthenticationErrorIds.ReauthenticationRequired, "Connect-M365 again")]
    [InlineData(700084, AuthenticationErrorIds.ReauthenticationRequired, "Connect-M365 again")]
    [InlineData(700016, AuthenticationErrorIds.AppNotFound, "CLIMICROSOFT365_AADAPPID")]
    [InlineData(7000218, AuthenticationErrorIds.PublicClientFlowsDisabled, "Allow public client flows")]
    [InlineData(65001, AuthenticationErrorIds.ConsentRequired, "consent")]
    [InlineData(50076, AuthenticationErrorIds.MfaRequired, "device code")]
    [InlineData(50079, AuthenticationErrorIds.MfaRequired, "certificate")]
    [InlineData(53003, AuthenticationErrorIds.ConditionalAccessBlocked, "administrator")]
    [InlineData(7000215, AuthenticationErrorIds.InvalidClientSecret, "secret")]
    [InlineData(700027, AuthenticationErrorIds.InvalidClientCertificate, "certificate")]
    [InlineData(90002, AuthenticationErrorIds.TenantNotFound, "-Tenant")]
    [InlineData(50126, AuthenticationErrorIds.InvalidCredentials, "password")]
    [InlineData(500011, AuthenticationErrorIds.ResourceNotInTenant, "licensed")]
    [InlineData(50011, AuthenticationErrorIds.RedirectUriNotRegistered, "add http://localhost as a Mobile and desktop applications redirect URI")]
    [InlineData(500113, AuthenticationErrorIds.RedirectUriNotRegistered, "Mobile and desktop applications")]
    public void AadstsCodesMapToIdsAndActions(int code, string errorId, string actionFragment)
    {
        var msal = new MsalServiceException("invalid_grant", $"AADSTS{code}: Something happened.\r\nTrace ID: 0000 Correlation ID: 1111 Timestamp: 2025-01-01");

        M365AuthenticationException mapped = MsalErrorMapper.Map(msal, duringRefresh: false, "https://graph.microsoft.com");

        Assert.Equal(errorId, mapped.ErrorId);
        Assert.Equal(code, mapped.AadstsCode);
        Assert.Contains(actionFragment, mapped.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"AADSTS{code}: Something happened", mapped.Message);
        Assert.DoesNotContain("Trace ID", mapped.Message);
        Assert.Same(msal, mapped.InnerException);
        Assert.Equal("https://graph.microsoft.com", mapped.Target);
    }

    [Fact]
    public void CodeIsReadFromResponseBodyWhenTheMessageHasNone()
    {
        var msal = new MsalServiceException("invalid_client", "The request failed.") { ResponseBody = "{\"error\":\"invalid_client\",\"error_codes\":[7000215]}" };

        Assert.Equal(AuthenticationErrorIds.InvalidClientSecret, MsalErrorMapper.Map(msal, false, null).ErrorId);
    }

    [Fact]
    public void InvalidGrantAndUiRequiredOnRefreshMeanSignInAgain()
    {
        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, MsalErrorMapper.Map(new MsalServiceException("invalid_grant", "Token is bad."), true, null).ErrorId);
        Assert.Equal(AuthenticationErrorIds.ReauthenticationRequired, MsalErrorMapper.Map(new MsalUiRequiredException("invalid_grant", "No refresh token."), true, null).ErrorId);
        Assert.True(MsalErrorMapper.Map(new MsalUiRequiredException("invalid_grant", "x"), true, null).RequiresSignIn);
        Assert.Equal(AuthenticationErrorIds.TokenRequestFailed, MsalErrorMapper.Map(new MsalServiceException("invalid_grant", "Token is bad."), false, null).ErrorId);
    }

    [Fact]
    public void AUserAssignedIdentityTheHostDoesNotLetChooseSaysToConnectWithoutTheClientId()
    {
        var msal = new MsalClientException(MsalError.UserAssignedManagedIdentityNotConfigurableAtRuntime, "Service Fabric user assigned managed identity ClientId or ResourceId is not configurable at runtime.");

        M365AuthenticationException mapped = MsalErrorMapper.Map(msal, false, "https://graph.microsoft.com");

        Assert.Equal(AuthenticationErrorIds.ManagedIdentityUnavailable, mapped.ErrorId);
        Assert.Contains("without -ManagedIdentityClientId", mapped.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("Entra ID refused", mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsentOnSilentRequestIsStillConsent()
    {
        var msal = new MsalUiRequiredException("invalid_grant", "AADSTS65001: The user or administrator has not consented.");
        Assert.Equal(AuthenticationErrorIds.ConsentRequired, MsalErrorMapper.Map(msal, true, null).ErrorId);
    }

    [Theory]
    [InlineData("code_expired", AuthenticationErrorIds.DeviceCodeExpired)]
    [InlineData("expired_token", AuthenticationErrorIds.DeviceCodeExpired)]
    [InlineData("authorization_declined", AuthenticationErrorIds.DeviceCodeDeclined)]
    public void DeviceCodeOutcomes(string msalCode, string errorId)
    {
        Assert.Equal(errorId, MsalErrorMapper.Map(new MsalServiceException(msalCode, "The device code flow ended."), false, null).ErrorId);
        Assert.Equal(errorId, MsalErrorMapper.Map(new MsalClientException(msalCode, "The device code flow ended."), false, null).ErrorId);
    }

    [Fact]
    public void SecretsInMsalMessagesAreRedacted()
    {
        string jwt = "eyJhbGciOiJub25lIn0.eyJzY3AiOiJ4In0.c2ln";
        var msal = new MsalServiceException(
            "invalid_request",
            $"AADSTS900144: bad request client_secret=s3cr3t&password=hunter2 refresh_token=0.AAA Authorization: Bearer {jwt} {{\"access_token\":\"abc\"}}");

        string message = MsalErrorMapper.Map(msal, false, null).Message;

        Assert.Contains("AADSTS900144", message);
        Assert.DoesNotContain("s3cr3t", message);
        Assert.DoesNotContain("hunter2", message);
        Assert.DoesNotContain("0.AAA", message);
        Assert.DoesNotContain(jwt, message);
        Assert.DoesNotContain("\"abc\"", message);
    }

    [Fact]
    public void MsalBoilerplateIsDroppedAndTheAadstsLineKeptWhole()
    {
        string aadsts = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + new string('a', 36) + "'. " + new string('x', 500);
        var msal = new MsalServiceException(
            "invalid_client",
            "A configuration issue is preventing authentication - check the error message from the server for details. You can modify the configuration in the application registration portal. See https://aka.ms/msal-net-invalid-client for details.  Original exception: " + aadsts + "\r\nTrace ID: 1 Correlation ID: 2 Timestamp: 3");

        M365AuthenticationException mapped = MsalErrorMapper.Map(msal, duringRefresh: false, "https://graph.microsoft.com");

        Assert.Equal(AuthenticationErrorIds.InvalidClientSecret, mapped.ErrorId);
        Assert.DoesNotContain("configuration issue", mapped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Original exception", mapped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("…", mapped.Message, StringComparison.Ordinal);
        Assert.Contains(aadsts.TrimEnd(), mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableAuthorityHasItsOwnIdAndFix()
    {
        var network = new System.Net.Http.HttpRequestException("Connection refused (127.0.0.1:9)");
        var msal = new MsalServiceException(MsalError.ServiceNotAvailable, "Service is unavailable to process the request", network);

        var mapped = MsalErrorMapper.Map(msal, duringRefresh: false, "https://graph.microsoft.com");
        var raw = MsalErrorMapper.Unreachable(network, "https://graph.microsoft.com");

        Assert.Equal(AuthenticationErrorIds.AuthorityUnreachable, mapped.ErrorId);
        Assert.Equal(AuthenticationErrorIds.AuthorityUnreachable, raw.ErrorId);
        Assert.Contains("Connection refused", raw.Message, StringComparison.Ordinal);
        Assert.Contains("network", raw.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, "5 seconds")]
    [InlineData(1, "1 second")]
    [InlineData(90, "90 seconds")]
    [InlineData(900, "15 minutes")]
    [InlineData(0.5, "0.5 seconds")]
    public void DurationsAreSaidInTheUnitAPersonExpects(double seconds, string expected) =>
        Assert.Equal(expected, Durations.Describe(TimeSpan.FromSeconds(seconds)));
}
