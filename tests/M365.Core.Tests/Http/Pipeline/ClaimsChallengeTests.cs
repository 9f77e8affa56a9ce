using System.Text;
using System.Text.Json;
using CsCheck;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

/// <summary>The <c>WWW-Authenticate</c> reader for Continuous Access Evaluation claims challenges: examples, then properties.</summary>
public sealed class ClaimsChallengeTests
{
    // What Graph sends (from Microsoft's CAE documentation): {"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}
    private const string GraphClaims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=";
    private const string GraphHeader =
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", "
        + "client_id=\"00000003-0000-0000-c000-000000000000\", error=\"insufficient_claims\", claims=\"" + GraphClaims + "\"";

    private const int Iterations = 300;

    [Fact]
    public void GraphsChallengeGivesTheDecodedClaims()
    {
        ClaimsChallenge? challenge = ClaimsChallenge.Parse(GraphHeader);

        Assert.NotNull(challenge);
        Assert.Equal("{\"access_token\":{\"nbf\":{\"essential\":true, \"value\":\"1604106651\"}}}", challenge!.Claims);
        Assert.Null(challenge.Description);
    }

    [Theory]
    [InlineData("PoP nonce=\"abc\", Bearer error=\"insufficient_claims\", claims=\"" + GraphClaims + "\"")]
    [InlineData("Basic realm=\"x, y\", Bearer error=\"insufficient_claims\", claims=\"" + GraphClaims + "\"")]
    [InlineData("Negotiate YWJjZA==, bearer ERROR=\"Insufficient_Claims\" , CLAIMS = \"" + GraphClaims + "\"")]
    [InlineData("Bearer error=insufficient_claims, claims=\"" + GraphClaims + "\"")]
    [InlineData("Bearer error=\"invalid_token\", Bearer error=\"insufficient_claims\", claims=\"" + GraphClaims + "\"")]
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0\"")]
    public void TheChallengeIsFoundAmongOthersWhateverTheCaseAndQuoting(string header)
    {
        Assert.Equal("{\"access_token\":{\"nbf\":{\"essential\":true, \"value\":\"1604106651\"}}}", ClaimsChallenge.Parse(header)?.Claims);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer error=\"invalid_token\", error_description=\"expired\"")]
    [InlineData("Bearer error=\"insufficient_claims\"")]
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"\"")]
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"not base64!\"")]
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"bm90IGpzb24=\"")] // "not json"
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"WzEsMl0=\"")] // [1,2]: JSON, not an object
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"//79\"")] // not UTF-8
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"eyJh=" + GraphClaims + "\"")] // padding inside
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"eyJhIjox\"")] // {"a":1 cut short
    [InlineData("Bearer error=\"insufficient_claims\", claims=\"" + GraphClaims)] // unterminated quote
    [InlineData("PoP error=\"insufficient_claims\", claims=\"" + GraphClaims + "\"")] // another scheme
    [InlineData("Bearer error=\"insufficient_claims\" claims")]
    public void MissingOrGarbledValuesAreNoChallenge(string? header)
    {
        Assert.Null(ClaimsChallenge.Parse(header));
    }

    [Fact]
    public void TheDescriptionIsUnquotedAndShortened()
    {
        string header = "Bearer error=\"insufficient_claims\", error_description=\"Continuous access evaluation resulted in \\\"challenge\\\"\r\n"
            + new string('x', 500) + "\", claims=\"" + GraphClaims + "\"";

        ClaimsChallenge? challenge = ClaimsChallenge.Parse(header);

        Assert.NotNull(challenge);
        Assert.StartsWith("Continuous access evaluation resulted in \"challenge\"", challenge!.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", challenge.Description, StringComparison.Ordinal);
        Assert.True(challenge.Description!.Length <= 301);
    }

    [Fact]
    public void AResponseWithTheChallengeInItsSecondHeaderIsRead()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "PoP nonce=\"n\"");
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", GraphHeader);

        Assert.NotNull(ClaimsChallenge.FromResponse(response));
    }

    [Fact]
    public void AnyClaimsObjectSurvivesAnyEncodingAmongOtherChallenges()
    {
        Gen<string> key = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 12];
        Gen<string> text = Gen.String[Gen.Char[" abcXYZ0123456789\"\\/+=,é€"], 0, 20];
        Gen<string> claims = Gen.Select(key, text, Gen.Long, Gen.Bool).Select((k, v, n, b) =>
            JsonSerializer.Serialize(new Dictionary<string, object> { ["access_token"] = new Dictionary<string, object> { [k] = new { essential = b, value = v, n } } }));
        Gen<string> noise = Gen.OneOf(
            string.Empty,
            "PoP nonce=\"x,y\", ",
            "Basic realm=\"a \\\"b\\\"\", ",
            "Bearer error=\"invalid_token\", ",
            "Negotiate YWJj==, ");
        Gen<string> param = Gen.OneOf(string.Empty, "realm=\"\", ", "error_description=\"x, y=z\", ", "client_id=00000003 , ");

        Gen.Select(claims, noise, param, Gen.Int[0, 3], noise).Sample((json, before, extra, form, after) =>
        {
            string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
            encoded = form switch
            {
                0 => encoded,
                1 => encoded.TrimEnd('='),
                2 => encoded.Replace('+', '-').Replace('/', '_'),
                _ => encoded.Replace('+', '-').Replace('/', '_').TrimEnd('='),
            };
            string header = before + "Bearer " + extra + "error=\"insufficient_claims\", claims=\"" + encoded + "\"" + (after.Length > 0 ? ", " + after.TrimEnd(' ', ',') : string.Empty);

            Assert.Equal(json, ClaimsChallenge.Parse(header)?.Claims);
        }, iter: Iterations);
    }

    [Fact]
    public void ArbitraryHeadersNeverThrowAndOnlyYieldJsonObjects()
    {
        Gen<string> piece = Gen.OneOf(
            Gen.OneOf("Bearer", "bearer", "error", "claims", "=", "\"", ",", " ", "\\", "insufficient_claims", GraphClaims, "eyJ9", "PoP"),
            Gen.String[Gen.Char[" ,=\"\\abcAZ09+/-_\t"], 0, 6]);
        Gen<string> header = piece.Array[0, 24].Select(parts => string.Concat(parts));

        header.Sample(value =>
        {
            ClaimsChallenge? challenge = ClaimsChallenge.Parse(value);
            if (challenge != null)
            {
                using JsonDocument document = JsonDocument.Parse(challenge.Claims);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void AnotherErrorThanInsufficientClaimsIsNeverAChallenge()
    {
        Gen<string> error = Gen.OneOf("invalid_token", "insufficient_scope", "insufficient_claim", "insufficient_claims_x", "");

        error.Sample(value =>
            Assert.Null(ClaimsChallenge.Parse("Bearer error=\"" + value + "\", claims=\"" + GraphClaims + "\"")), iter: 20);
    }
}
