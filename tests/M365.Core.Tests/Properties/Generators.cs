using System.Globalization;
using System.Text;
using CsCheck;

namespace M365.Core.Tests.Properties;

/// <summary>Generators shared by the parser properties: hostile text, and valid inputs with a few random edits.</summary>
internal static class Generators
{
    private static readonly Gen<char> s_nastyChar = Gen.OneOf(
        Gen.Char,
        Gen.Char['\0', '\u007f'],
        Gen.OneOf<char>('\u00a0', '\u0660', '\u0130', '\u0131', '\u212a', '\u200b', '\ufeff', '\ud800', '\udfff', '\u2028', '%', '\\', '"', '@', '#', '[', ']'));

    /// <summary>Any text up to 64 characters, weighted towards ASCII, separators and characters that parsers trip on.</summary>
    public static readonly Gen<string> AnyString = Gen.OneOf(Gen.String, Gen.String[s_nastyChar, 0, 64]);

    /// <summary>Like <see cref="AnyString"/>, but valid UTF-16 (no lone surrogate), for values that must survive a JSON round trip.</summary>
    public static readonly Gen<string> ValidString = AnyString.Select(s => new string(s.Where(c => !char.IsSurrogate(c)).ToArray()));

    /// <summary>Text over a given alphabet, for inputs close to the grammar (digits and dots for numbers, and so on).</summary>
    public static Gen<string> StringOf(string alphabet, int maxLength = 32) => Gen.String[Gen.Char[alphabet], 0, maxLength];

    /// <summary><paramref name="valid"/> with one to three random edits: a character inserted, removed or replaced, or a cut.</summary>
    public static Gen<string> Mutated(Gen<string> valid) =>
        Gen.Select(valid, Gen.Int[1, 3].SelectMany(n => Edit.Array[n]), (text, edits) =>
        {
            foreach (Func<string, string> edit in edits)
            {
                text = edit(text);
            }

            return text;
        });

    private static readonly Gen<Func<string, string>> Edit = Gen.Frequency(
        (3, Gen.Select(Gen.Double[0, 1], s_nastyChar, (at, c) => (Func<string, string>)(s => s.Insert(Index(s, at, inclusive: true), c.ToString())))),
        (2, Gen.Double[0, 1].Select(at => (Func<string, string>)(s => s.Length == 0 ? s : s.Remove(Index(s, at, inclusive: false), 1)))),
        (3, Gen.Select(Gen.Double[0, 1], s_nastyChar, (at, c) => (Func<string, string>)(s => s.Length == 0 ? s : s.Remove(Index(s, at, inclusive: false), 1).Insert(Index(s, at, inclusive: false), c.ToString())))),
        (1, Gen.Double[0, 1].Select(at => (Func<string, string>)(s => s.Substring(0, Index(s, at, inclusive: true))))));

    /// <summary>JSON numbers, including the ones that overflow a double or a long, and negative zero.</summary>
    public static readonly Gen<string> JsonNumber = Gen.OneOf(
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e400"),
        Gen.OneOf<string>("1e400", "-1e400", "-0", "0.0", "1E+308", "99999999999999999999999", "4.9e-325", "200", "429", "2.5"));

    /// <summary>Any JSON value up to a depth: objects and arrays of numbers, strings, booleans and nulls.</summary>
    public static Gen<string> JsonValue(int depth) => depth == 0
        ? Gen.OneOf(JsonNumber, JsonString, Gen.OneOf<string>("true", "false", "null"))
        : Gen.Frequency(
            (3, JsonValue(0)),
            (1, JsonValue(depth - 1).List[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(JsonString, JsonValue(depth - 1)).List[0, 5].Select(JsonObject)));

    /// <summary>A JSON string literal of any text (escaped), or one of the names the parsers look for.</summary>
    public static readonly Gen<string> JsonString = Gen.OneOf(
        AnyString,
        Gen.OneOf<string>("value", "@odata.nextLink", "odata.nextLink", "responses", "id", "status", "headers", "body", "Retry-After", "url", "port", "exp", "scp", "roles"))
        .Select(Quote);

    /// <summary>A JSON string literal; unlike JsonSerializer it also writes lone surrogates (as \\uD800), which JSON allows.</summary>
    public static string Quote(string text)
    {
        var literal = new StringBuilder("\"", text.Length + 2);
        foreach (char c in text)
        {
            literal.Append(c is '"' or '\\' || c < ' ' || char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return literal.Append('"').ToString();
    }

    /// <summary>A JSON object text from (name literal, value text) pairs.</summary>
    public static string JsonObject(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => m.Name + ":" + m.Value)) + "}";

    private static int Index(string s, double at, bool inclusive) => Math.Min((int)(at * (s.Length + (inclusive ? 1 : 0))), Math.Max(0, s.Length - (inclusive ? 0 : 1)));
}
