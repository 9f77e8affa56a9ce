using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Clouds;
using M365.Core.Tests.TestDoubles;
using static M365.Core.Tests.Authentication.Federation.FederatedTestKit;

namespace M365.Core.Tests.Authentication.Federation;

/// <summary>Which source a federated sign-in finds, in the order, and what it says when it finds none.</summary>
public sealed class TokenSourceDetectionTests
{
    private static readonly HttpClient Client = new();

    private static FederatedSetup Resolve(Func<string, string?> env, Action<SignInOptions>? change = null)
    {
        var options = new SignInOptions { AuthenticationType = AuthenticationType.FederatedIdentity, EnvironmentVariables = env };
        change?.Invoke(options);
        return FederatedSetup.Resolve(options, Client)!;
    }

    private static M365AuthenticationException Fails(Func<string, string?> env, Action<SignInOptions>? change = null) =>
        Assert.Throws<M365AuthenticationException>(() => Resolve(env, change));

    [Fact]
    public void GitHubActionsComesFirstThenAzureDevOpsThenTheTokenFile()
    {
        var file = ("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token");
        var app = ("AZURE_CLIENT_ID", AppId);
        Assert.IsType<GitHubActionsTokenSource>(Resolve(Env([.. GitHub, .. AzureDevOps, file, app])).Source);
        Assert.IsType<AzureDevOpsTokenSource>(Resolve(Env([.. AzureDevOps, file, app])).Source);
        Assert.IsType<AzureDevOpsTokenSource>(Resolve(Env([.. GitHub, .. AzureDevOps, app]), o => o.ServiceConnectionId = "named").Source);
        var fromFile = Assert.IsType<TokenFileSource>(Resolve(Env(file, app)).Source);
        Assert.Equal(file.Item2, fromFile.Path);
    }

    [Fact]
    public void NamedSourcesWinOverTheEnvironment()
    {
        var env = Env([.. GitHub, ("AZURE_CLIENT_ID", AppId)]);
        var file = Assert.IsType<TokenFileSource>(Resolve(env, o => o.FederatedTokenFile = "/tmp/token").Source);
        Assert.Equal("/tmp/token", file.Path);
        string jwt = OidcToken(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var given = Resolve(env, o => { o.FederatedTokenFile = "/tmp/token"; o.ClientAssertion = Secure(jwt); }).Source;
        Assert.IsType<GivenAssertionSource>(given);
        Assert.False(given.CanRenew);
        var notAJwt = Fails(env, o => o.ClientAssertion = Secure("{\"value\":\"x\"}"));
        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, notAJwt.ErrorId);
        Assert.Contains("not a JWT", notAJwt.Message);
    }

    [Fact]
    public void AppAndTenantComeFromTheParametersElseFromTheSourcesVariables()
    {
        FederatedSetup ado = Resolve(Env(AzureDevOps));
        Assert.Equal("ado00000-0000-0000-0000-000000000001", ado.AppId);
        Assert.Equal(AppIdSource.FederatedEnvironment, ado.AppIdSource);
        Assert.Equal("ado00000-0000-0000-0000-0000000000aa", ado.Tenant);

        FederatedSetup file = Resolve(Env(("AZURE_FEDERATED_TOKEN_FILE", "/t"), ("AZURE_CLIENT_ID", AppId), ("AZURE_TENANT_ID", TenantId)));
        Assert.Equal(AppId, file.AppId);
        Assert.Equal(TenantId, file.Tenant);

        FederatedSetup given = Resolve(Env(AzureDevOps), o => { o.AppId = "explicit-app"; o.Tenant = "contoso.onmicrosoft.com"; });
        Assert.Equal("explicit-app", given.AppId);
        Assert.Equal(AppIdSource.Parameter, given.AppIdSource);
        Assert.Equal("contoso.onmicrosoft.com", given.Tenant);

        // Azure DevOps' task variables, not Azure.Identity's, name the app there.
        var noApp = Fails(Env([.. AzureDevOps.Where(v => v.Item1 != "AZURESUBSCRIPTION_CLIENT_ID"), ("AZURE_CLIENT_ID", AppId)]));
        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, noApp.ErrorId);
        Assert.Contains("AZURESUBSCRIPTION_CLIENT_ID", noApp.RecommendedAction);
    }

    [Fact]
    public void OutsideAPipelineTheErrorListsWhatEachSourceNeeds()
    {
        var error = Fails(Env(("AZURE_CLIENT_ID", AppId)));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenUnavailable, error.ErrorId);
        foreach (string variable in new[] { "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "AZURE_FEDERATED_TOKEN_FILE", "-FederatedTokenFile" })
        {
            Assert.Contains(variable, error.Message);
        }

        Assert.Contains("-ClientAssertion", error.RecommendedAction);
    }

    [Fact]
    public void AGitHubJobWithoutTheIdTokenPermissionIsToldToAddIt()
    {
        var error = Fails(Env(("GITHUB_ACTIONS", "true"), ("AZURE_CLIENT_ID", AppId)));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenUnavailable, error.ErrorId);
        Assert.Contains("permissions: id-token: write", error.RecommendedAction);
    }

    [Fact]
    public void AnAzureDevOpsJobWithoutTheAccessTokenIsToldTheEnvMapping()
    {
        var error = Fails(Env([.. AzureDevOps.Where(v => v.Item1 != "SYSTEM_ACCESSTOKEN")]));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenUnavailable, error.ErrorId);
        Assert.Contains("SYSTEM_ACCESSTOKEN: $(System.AccessToken)", error.RecommendedAction);
        Assert.Contains("env:", error.RecommendedAction);
    }

    [Fact]
    public void AnAzureDevOpsJobWithoutAServiceConnectionIsToldWhereToGiveIt()
    {
        var env = Env([.. AzureDevOps.Where(v => v.Item1 != "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID")]);
        var error = Fails(env);

        Assert.Equal(AuthenticationErrorIds.FederatedTokenUnavailable, error.ErrorId);
        Assert.Contains("-ServiceConnectionId", error.RecommendedAction);
        var source = Assert.IsType<AzureDevOpsTokenSource>(Resolve(env, o => o.ServiceConnectionId = "given-connection").Source);
        Assert.Contains("serviceConnectionId=given-connection", source.RequestUrl.Query);
    }

    [Fact]
    public void ARequestUrlThatIsNotHttpsIsNotSentTheRequestToken()
    {
        var error = Fails(Env(("ACTIONS_ID_TOKEN_REQUEST_URL", "http://evil.example/token"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GitHubRequestToken), ("AZURE_CLIENT_ID", AppId)));

        Assert.Equal(AuthenticationErrorIds.FederatedTokenUnavailable, error.ErrorId);
        Assert.DoesNotContain(GitHubRequestToken, error.Message);
    }

    [Fact]
    public void AzureAuthorityHostMustNameTheCloudsAuthority()
    {
        var env = Env(("AZURE_FEDERATED_TOKEN_FILE", "/t"), ("AZURE_CLIENT_ID", AppId), ("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/"));

        var error = Fails(env);
        Assert.Equal(AuthenticationErrorIds.SignInOptionsInvalid, error.ErrorId);
        Assert.Contains("-Environment USGov or USGovDoD", error.RecommendedAction);
        Assert.NotNull(Resolve(env, o => o.Cloud = CloudEnvironment.USGov));
        Assert.NotNull(Resolve(Env(("AZURE_FEDERATED_TOKEN_FILE", "/t"), ("AZURE_CLIENT_ID", AppId), ("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/"))));
    }

    [Fact]
    public void OtherSignInsResolveNothing()
    {
        Assert.Null(FederatedSetup.Resolve(new SignInOptions { EnvironmentVariables = Env(GitHub) }, Client));
    }
}
