using Microsoft.Extensions.DependencyInjection;
using M365.Sandbox.Identity;
using Microsoft.AspNetCore.Http;

namespace M365.Sandbox.Tests;

/// <summary>The contract the resource endpoints rely on: 401 with a Bearer challenge, 403 for missing permission.</summary>
public sealed class ResourceAuthorizerTests : IClassFixture<IdentityErrorTests.Fixture>
{
    private readonly TemporarySandbox _sandbox;

    public ResourceAuthorizerTests(IdentityErrorTests.Fixture fixture) => _sandbox = fixture.Sandbox!;

    [Theory]
    [InlineData(null, "Access token is empty.")]
    [InlineData("garbage", "JWT is not well formed")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.", "Invalid signature")]
    public async Task MissingOrGarbageTokensGet401WithChallenge(string? token, string description)
    {
        var (result, context) = await AuthorizeAsync("graph.microsoft.com", token, AccessRequirement.Any);
        Assert.Null(result);
        Assert.Equal(401, context.Response.StatusCode);
        var challenge = context.Response.Headers.WWWAuthenticate.ToString();
        Assert.StartsWith("Bearer ", challenge);
        Assert.Contains("error=\"invalid_token\"", challenge);
        Assert.Contains("authorization_uri=\"https://login.microsoftonline.com/", challenge);
        Assert.Contains(description, challenge);
        Assert.Contains("InvalidAuthenticationToken", Body(context));
    }

    [Fact]
    public async Task WrongAudienceAndExpiredTokensAreRefused()
    {
        var graphToken = AppToken("https://graph.microsoft.com", "Sites.Read.All");
        var (wrong, context) = await AuthorizeAsync("contoso.sharepoint.com", graphToken, AccessRequirement.Any);
        Assert.Null(wrong);
        Assert.Contains("Invalid audience", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Contains("odata.error", Body(context));

        await using var shortLived = await TemporarySandbox.StartAsync(o => o.AccessTokenLifetime = TimeSpan.FromSeconds(1));
        var token = shortLived.Host.Tokens.IssueAppOnly(Guid.NewGuid(), "x", Guid.NewGuid(), "https://graph.microsoft.com", Array.Empty<string>(), 1).Token;
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var (expired, expiredContext) = await AuthorizeAsync("graph.microsoft.com", token, AccessRequirement.Any, shortLived);
        Assert.Null(expired);
        Assert.Contains("expired", expiredContext.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task RequirementsAreCheckedAgainstScpAndRoles()
    {
        var appToken = AppToken("https://graph.microsoft.com", "Sites.Read.All");
        var (ok, _) = await AuthorizeAsync("graph.microsoft.com", appToken, AccessRequirement.Of(new[] { "Sites.Read.All" }, new[] { "Sites.Read.All" }));
        Assert.NotNull(ok);
        Assert.True(ok!.IsAppOnly);

        var (missing, missingContext) = await AuthorizeAsync("graph.microsoft.com", appToken, AccessRequirement.Of(Array.Empty<string>(), new[] { "Sites.FullControl.All" }));
        Assert.Null(missing);
        Assert.Equal(403, missingContext.Response.StatusCode);

        var (delegatedOnly, delegatedContext) = await AuthorizeAsync("graph.microsoft.com", appToken, AccessRequirement.Delegated());
        Assert.Null(delegatedOnly);
        Assert.Equal(403, delegatedContext.Response.StatusCode);

        var seed = _sandbox.Host.Seed;
        var userToken = _sandbox.Host.Tokens.IssueDelegated(seed.Admin, seed.PnpManagementShell, "https://contoso-admin.sharepoint.com", new[] { "AllSites.FullControl" }, 0).Token;
        var (user, _) = await AuthorizeAsync("contoso-admin.sharepoint.com", userToken, AccessRequirement.Delegated("AllSites.FullControl"));
        Assert.Equal(seed.Admin.UserPrincipalName, user!.Upn);
        Assert.Contains("AllSites.FullControl", user.Scopes);
    }

    private string AppToken(string audience, params string[] roles) =>
        _sandbox.Host.Tokens.IssueAppOnly(Guid.NewGuid(), "x", Guid.NewGuid(), audience, roles, 1).Token;

    private async Task<(ValidatedToken?, DefaultHttpContext)> AuthorizeAsync(string host, string? token, AccessRequirement requirement, TemporarySandbox? sandbox = null)
    {
        var services = (sandbox ?? _sandbox).Host.Services;
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Host = new HostString(host);
        context.Response.Body = new MemoryStream();
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        var result = await services.GetRequiredService<IResourceAuthorizer>().AuthorizeAsync(context, requirement);
        return (result, context);
    }

    private static string Body(DefaultHttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
