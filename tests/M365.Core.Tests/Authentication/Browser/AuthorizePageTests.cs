using M365.Core.Authentication;
using M365.Core.Authentication.Browser;
using M365.Core.Http;
using M365.Core.Tests.Http;

namespace M365.Core.Tests.Authentication.Browser;

public sealed class AuthorizePageTests
{
    [Fact]
    public void WithASandboxTheBrowserGoesToItsLoopbackOriginWithTheSamePathAndQuery()
    {
        var sandbox = SandboxDescriptor.Parse(SandboxDescriptorTests.Json("https://127.0.0.1:5443", 5443));
        var msal = new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=a&redirect_uri=http%3A%2F%2Flocalhost%3A4711%2F&state=x%2By&login_hint=adele%40contoso.com");

        Uri browser = AuthorizePage.ForBrowser(msal, sandbox);

        Assert.Equal("https://127.0.0.1:5443/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=a&redirect_uri=http%3A%2F%2Flocalhost%3A4711%2F&state=x%2By&login_hint=adele%40contoso.com", browser.AbsoluteUri);
        Assert.Same(msal, AuthorizePage.ForBrowser(msal, null));
    }

    [Theory]
    [InlineData("<p>AADSTS50011: The redirect URI 'http://localhost:4711/' specified in the request does not match the redirect URIs configured for the application 'x'.</p>", AuthenticationErrorIds.RedirectUriNotRegistered, 50011)]
    [InlineData("{\"strServiceExceptionMessage\":\"AADSTS500113: No reply address is registered for the application.\"}", AuthenticationErrorIds.RedirectUriNotRegistered, 500113)]
    [InlineData("<div>AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso'.</div>", AuthenticationErrorIds.AppNotFound, 700016)]
    [InlineData("<div>AADSTS90002: Tenant 'nowhere.example' not found.</div>", AuthenticationErrorIds.TenantNotFound, 90002)]
    public void APageThatNeverRedirectsBecomesItsError(string page, string id, int code)
    {
        M365AuthenticationException? error = AuthorizePage.PageError(page);

        Assert.NotNull(error);
        Assert.Equal(id, error!.ErrorId);
        Assert.Equal(code, error.AadstsCode);
        Assert.Contains("AADSTS" + code, error.Message);
        if (id == AuthenticationErrorIds.RedirectUriNotRegistered)
        {
            Assert.Contains("add http://localhost as a Mobile and desktop applications redirect URI", error.RecommendedAction);
        }
    }

    [Theory]
    [InlineData("<html><form><input id=\"account\"><input id=\"password\" type=\"password\"></form></html>")]
    [InlineData("<p>AADSTS50126: Error validating credentials due to invalid username or password.</p>")] // the browser shows it and the user retries
    public void ASignInPageOrAnErrorTheUserCanFixIsNoVerdict(string page)
    {
        Assert.Null(AuthorizePage.PageError(page));
    }
}
