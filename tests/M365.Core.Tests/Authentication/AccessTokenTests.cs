using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Authentication;

public sealed class AccessTokenTests
{
    private static readonly M365Resource Graph = new ResourceResolver(CloudEnvironment.Public).Graph;

    [Fact]
    public void DelegatedClaimsAreRead()
    {
        string jwt = TestJwt.Create(new { aud = "https://graph.microsoft.com", tid = "72f988bf", idtyp = "user", scp = "User.Read  Sites.FullControl.All", upn = "adele@contoso.com", exp = 1735722000L, amr = new[] { "pwd", "mfa" } });
        var token = new AccessToken(jwt, DateTimeOffset.UnixEpoch, Graph);

        Assert.Equal(new[] { "User.Read", "Sites.FullControl.All" }, token.Scopes);
        Assert.Empty(token.Roles);
        Assert.Equal("user", token.IdentityType);
        Assert.Equal("72f988bf", token.TenantId);
        Assert.Equal("adele@contoso.com", token.GetString("upn"));
        Assert.Equal(1735722000L, token.Claims["exp"]);
        Assert.Equal(new object?[] { "pwd", "mfa" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(token.Claims["amr"]));
    }

    [Fact]
    public void AppOnlyRolesAreReadAndIdentityTypeInferredWithoutIdtyp()
    {
        var token = new AccessToken(TestJwt.Create(new { roles = new[] { "Sites.Read.All", "User.Read.All" }, appid = "abc" }), DateTimeOffset.UnixEpoch, Graph);

        Assert.Equal(new[] { "Sites.Read.All", "User.Read.All" }, token.Roles);
        Assert.Empty(token.Scopes);
        Assert.Equal("app", token.IdentityType);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJub25lIn0.!!!.sig")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90IGpzb24.sig")]
    [InlineData("eyJhbGciOiJub25lIn0.WzEsMl0.sig")]
    [InlineData("")]
    public void NonJwtTokensHaveNoClaimsAndDoNotThrow(string raw)
    {
        var token = new AccessToken(raw, DateTimeOffset.UnixEpoch, Graph);

        Assert.Empty(token.Claims);
        Assert.Empty(token.Scopes);
        Assert.Null(token.IdentityType);
    }

    [Fact]
    public void ToStringDoesNotContainTheToken()
    {
        string jwt = TestJwt.Create(new { scp = "User.Read" });
        var token = new AccessToken(jwt, DateTimeOffset.UnixEpoch, Graph);

        Assert.DoesNotContain(jwt, token.ToString());
        Assert.DoesNotContain(jwt.Split('.')[1], token.ToString());
        Assert.Contains("graph.microsoft.com", token.ToString());
    }

    [Fact]
    public void Base64UrlWithoutPaddingDecodes()
    {
        Assert.Equal(new byte[] { 0xfb, 0xff }, JwtPayloadReader.DecodeBase64Url("-_8"));
        Assert.Null(JwtPayloadReader.DecodeBase64Url("a"));
    }

    // Found by the JWT payload properties: GetString refuses an escape that is not valid UTF-16, and the error escaped.
    [Fact]
    public void APayloadWithALoneSurrogateEscapeHasNoClaimsAndDoesNotThrow()
    {
        string payload = TestJwt.Encode(System.Text.Encoding.UTF8.GetBytes("{\"scp\":\"User.Read\",\"upn\":\"\\ud800\"}"));

        var token = new AccessToken("eyJhbGciOiJub25lIn0." + payload + ".sig", DateTimeOffset.UnixEpoch, Graph);

        Assert.Empty(token.Claims);
        Assert.Empty(token.Scopes);
    }
}
