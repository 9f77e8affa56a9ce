using System.Text;
using System.Text.Json;
using CsCheck;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;

namespace M365.Core.Tests.Properties;

/// <summary>JWT payloads: whatever the token, reading it gives claims or none, never an error; real claims come back as written.</summary>
public sealed class JwtPayloadProperties : PropertySuite<JwtPayloadProperties>, IPropertySuite
{
    private static readonly M365Resource Graph = new ResourceResolver(CloudEnvironment.Public).Graph;

    private static readonly Gen<string> AnyPayloadToken = Gen.OneOf(
        Generators.AnyString,
        Generators.JsonValue(3).Select(json => Token(Encoding.UTF8.GetBytes(json))),
        Gen.Byte.Array[0, 64].Select(Token),
        Generators.Mutated(Generators.JsonValue(2).Select(json => Token(Encoding.UTF8.GetBytes(json)))),
        Generators.StringOf("eyJ.-_=+/abcAZ09", 40));

    /// <summary>Claims as Entra ID writes them: strings, whole numbers, booleans, lists of strings, and nested objects.</summary>
    private static readonly Gen<Dictionary<string, object?>> Claims =
        Gen.Select(Gen.OneOf(Generators.ValidString, Gen.OneOf<string>("aud", "tid", "scp", "roles", "exp", "idtyp")), ClaimValue(2))
            .List[0, 8]
            .Select(pairs =>
            {
                var claims = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach ((string name, object? value) in pairs)
                {
                    claims[name] = value;
                }

                return claims;
            });

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("jwt", nameof(AnyTokenGivesClaimsOrNoneButNeverAnError), AnyTokenGivesClaimsOrNoneButNeverAnError),
        new("jwt", nameof(WrittenClaimsAreReadBack), WrittenClaimsAreReadBack),
    ];

    private static void AnyTokenGivesClaimsOrNoneButNeverAnError(PropertyRun run) =>
        run.Check(AnyPayloadToken, token =>
        {
            IReadOnlyDictionary<string, object?> claims = JwtPayloadReader.ReadClaims(token);
            var accessToken = new AccessToken(token, DateTimeOffset.UnixEpoch, Graph);

            Assert.Equal(claims.Count, accessToken.Claims.Count);
            Assert.All(accessToken.Roles, role => Assert.NotNull(role));
            Assert.All(accessToken.Scopes, scope => Assert.False(string.IsNullOrWhiteSpace(scope)));
        });

    private static void WrittenClaimsAreReadBack(PropertyRun run) =>
        run.Check(Claims, claims =>
        {
            string token = TestJwt.Create(claims);

            IReadOnlyDictionary<string, object?> read = JwtPayloadReader.ReadClaims(token);

            Assert.Equal(Normalize(claims), Normalize(read));
        }, claims => JsonSerializer.Serialize(claims));

    private static Gen<object?> ClaimValue(int depth)
    {
        Gen<object?> scalar = Gen.OneOf(
            Generators.ValidString.Select(s => (object?)s),
            Gen.Long.Select(n => (object?)n),
            Gen.Bool.Select(b => (object?)b),
            Gen.Double[-1e6, 1e6].Select(d => (object?)(d == Math.Floor(d) ? d + 0.5 : d)),
            Gen.Const((object?)null));
        return depth == 0
            ? scalar
            : Gen.Frequency(
                (4, scalar),
                (1, ClaimValue(depth - 1).List[0, 3].Select(items => (object?)items)),
                (1, Gen.Select(Generators.ValidString, ClaimValue(depth - 1)).List[0, 3].Select(pairs => (object?)pairs.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.Last().Item2))));
    }

    /// <summary>Claims as JSON text with sorted names, so a written and a read set compare by value.</summary>
    private static string Normalize(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Normalize(p.Value))) + "}",
        IDictionary<string, object?> map => "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Normalize(p.Value))) + "}",
        System.Collections.IEnumerable items when value is not string => "[" + string.Join(",", items.Cast<object?>().Select(Normalize)) + "]",
        _ => JsonSerializer.Serialize(value),
    };

    private static string Token(byte[] payload) => "eyJhbGciOiJub25lIn0." + TestJwt.Encode(payload) + ".c2ln";
}
