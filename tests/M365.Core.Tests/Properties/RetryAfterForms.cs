using System.Globalization;

namespace M365.Core.Tests.Properties;

/// <summary>
/// The only Retry-After forms the parser may accept (RFC 9110): delay-seconds (decimals allowed here) or one of the three
/// HTTP-date forms. Shared by the CsCheck property and the SharpFuzz target, so both hold the parser to the same rule.
/// </summary>
public static class RetryAfterForms
{
    private static readonly string[] s_httpDates = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"];

    /// <summary>True when <paramref name="value"/> (trimmed) is seconds or an HTTP date.</summary>
    public static bool IsSecondsOrHttpDate(string value)
    {
        string text = value.Trim();
        bool seconds = text.Length > 0 && text.All(c => c is (>= '0' and <= '9') or '.') && text.Count(c => c == '.') <= 1 && text != ".";
        return seconds || DateTimeOffset.TryParseExact(
            text,
            s_httpDates,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite,
            out _);
    }
}
