using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using static M365.Core.Tests.Authentication.Federation.FederatedTestKit;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>Entra ID's refusals of a federated assertion, explained with the token's claims and never the token.</summary>
public sealed class FederatedErrorMapperTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T10:00:00Z");

    private static async Task<(FederatedAssertionProvider Provider, string Token)> Presented(TimeSpan lifetime, bool canRenew = true, string subject = GitHubSubject)
    {
        string token = OidcToken(Now, lifetime, subject: subject);
        var provider = new FederatedAssertionProvider(new FixedSource(token, canRenew), new FakeTimeProvider(Now));
        await provider.GetAssertionAsync(CancellationToken.None);
        return (provider, token);
    }

    private static MsalServiceException Refusal(int code, string text) =>
        new("invalid_client", $"A configuration issue is preventing authentication - check the error message from the server for details. Original exception: AADSTS{code}: {text} Trace ID: 0000 Correlation ID: 1111 Timestamp: 2026-12-01 10:00:00Z");

    [Theory]
    [InlineData(70021, "No matching federated identity record found for presented assertion.")]
    [InlineData(700211, "No matching federated identity record found for presented assertion issuer 'https://token.actions.githubusercontent.com'.")]
    [InlineData(700212, "No matching federated identity record found for presented assertion audience 'api://AzureADTokenExchange'.")]
    [InlineData(700213, "No matching federated identity record found for presented assertion subject 'repo:Contoso/automation:ref:refs/heads/main'.")]
    [InlineData(7002138, "No matching federated identity record found for presented assertion subject; the subject differs in case.")]
    public async Task NoMatchingCredentialNamesTheIssuerAndSubjectToRegister(int code, string text)
    {
        var (provider, token) = await Presented(TimeSpan.FromMinutes(5), subject: "repo:Contoso/automation:ref:refs/heads/main");

        var error = FederatedErrorMapper.Map(Refusal(code, text), provider, AppId, "https://graph.microsoft.com")!;

        Assert.Equal(AuthenticationErrorIds.FederatedCredentialMismatch, error.ErrorId);
        Assert.Equal(code, error.AadstsCode);
        Assert.Contains($"has no federated credential with issuer '{GitHubIssuer}' and subject 'repo:Contoso/automation:ref:refs/heads/main'", error.Message);
        Assert.Contains("case matters", error.Message);
        Assert.Contains("audience 'api://AzureADTokenExchange'", error.Message);
        Assert.Contains($"AADSTS{code}:", error.Message);
        Assert.DoesNotContain("Trace ID", error.Message);
        Assert.Contains("api://AzureADTokenExchange", error.RecommendedAction);
        Assert.DoesNotContain(token, error.ToString());
        Assert.DoesNotContain(token.Split('.')[1], error.Message);
    }

    [Fact]
    public async Task AnAppWithoutCredentialsIsFederatedCredentialMissing()
    {
        var (provider, _) = await Presented(TimeSpan.FromMinutes(5));

        var error = FederatedErrorMapper.Map(Refusal(70025, $"The client '{AppId}'(Contoso) has no configured federated identity credentials."), provider, AppId, null)!;

        Assert.Equal(AuthenticationErrorIds.FederatedCredentialMissing, error.ErrorId);
        Assert.Contains(GitHubIssuer, error.RecommendedAction);
        Assert.Contains(GitHubSubject, error.RecommendedAction);
    }

    [Fact]
    public async Task AnExpiredAssertionSaysWhenItExpiredAndThatAGivenOneCannotBeRenewed()
    {
        var (renewable, _) = await Presented(TimeSpan.FromMinutes(5));
        var (given, _) = await Presented(TimeSpan.FromMinutes(5), canRenew: false);
        var refusal = Refusal(700024, "Client assertion is not within its valid time range. Current time: 2026-12-01T10:30:00.0000000Z, assertion valid from 2026-12-01T10:00:00.0000000Z, expiry time of assertion 2026-12-01T10:05:00.0000000Z.");

        var fromPipeline = FederatedErrorMapper.Map(refusal, renewable, AppId, null)!;
        var fromGiven = FederatedErrorMapper.Map(refusal, given, AppId, null)!;

        Assert.Equal(AuthenticationErrorIds.ClientAssertionExpired, fromPipeline.ErrorId);
        Assert.Contains("expires 2026-12-01 10:05:00Z", fromPipeline.Message);
        Assert.Contains("clock", fromPipeline.RecommendedAction);
        Assert.Equal(AuthenticationErrorIds.ClientAssertionExpired, fromGiven.ErrorId);
        Assert.Contains("cannot be renewed", fromGiven.RecommendedAction);
        Assert.Contains("-FederatedIdentity", fromGiven.RecommendedAction);
    }

    [Fact]
    public async Task ATooLongLifetimeSaysHowLong()
    {
        var (provider, _) = await Presented(TimeSpan.FromDays(2));

        var error = FederatedErrorMapper.Map(Refusal(70023, "The assertion lifetime is too long."), provider, AppId, null)!;

        Assert.Equal(AuthenticationErrorIds.ClientAssertionLifetimeTooLong, error.ErrorId);
        Assert.Contains("valid for 48 hours", error.Message);
        Assert.Contains("1 day and 1 hour", error.Message);
    }

    [Fact]
    public async Task OtherRefusalsAreLeftToTheCommonMapper()
    {
        var (provider, _) = await Presented(TimeSpan.FromMinutes(5));

        Assert.Null(FederatedErrorMapper.Map(Refusal(700016, "Application not found."), provider, AppId, null));
    }

    private sealed class FixedSource(string token, bool canRenew) : IFederatedTokenSource
    {
        public string Name => "GitHub Actions";

        public bool CanRenew => canRenew;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);
    }
}
