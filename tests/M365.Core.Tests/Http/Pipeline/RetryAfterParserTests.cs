using System.Globalization;
using M365.Core.Http;

namespace M365.Core.Tests.Http.Pipeline;

public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2", 2_000)]
    [InlineData("0.249", 249)]
    [InlineData(" 1.5 ", 1_500)]
    [InlineData("90", 90_000)]
    public void SecondsIncludingDecimals(string value, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterParser.Parse(value, Now));

    [Fact]
    public void HttpDateUsesTheTotalLengthNotTheSecondsComponent()
    {
        string in150Seconds = Now.AddSeconds(150).ToString("R", CultureInfo.InvariantCulture);

        // PnP's bug: .Seconds of 2:30 is 30.
        Assert.Equal(TimeSpan.FromSeconds(150), RetryAfterParser.Parse(in150Seconds, Now));
    }

    [Fact]
    public void HttpDateInThePastMeansNow() =>
        Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(Now.AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture), Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("0x10")]
    [InlineData("516\0")] // found by a 60 s run of the Retry-After properties: .NET's parser ignores trailing NULs
    public void GarbageIsIgnored(string? value) => Assert.Null(RetryAfterParser.Parse(value, Now));

    [Fact]
    public void HugeValuesAreBoundedInsteadOfOverflowing()
    {
        Assert.Equal(TimeSpan.FromDays(1), RetryAfterParser.Parse("99999999999999999999999999999", Now));
        Assert.Equal(TimeSpan.FromDays(1), RetryAfterParser.Parse("Fri, 31 Dec 9999 23:59:59 GMT", Now));
    }

    [Fact]
    public void FuzzedInputNeverThrowsAndIsNeverNegative()
    {
        var random = new Random(1234);
        const string alphabet = "0123456789.,-+ eE:GMTFriDecNaN\t\u00a0\u0660";
        for (int i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 32)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            TimeSpan? delay = RetryAfterParser.Parse(new string(chars), Now);
            Assert.True(delay is null || (delay >= TimeSpan.Zero && delay <= TimeSpan.FromDays(1)), new string(chars));
        }
    }

    // Found by the Retry-After properties: the obsolete forms RFC 9110 says recipients must accept were ignored.
    [Theory]
    [InlineData("Saturday, 01-Mar-25 09:02:30 GMT")]
    [InlineData("Sat Mar  1 09:02:30 2025")]
    [InlineData("Sat, 01 Mar 2025 09:02:30 GMT")]
    public void EveryHttpDateFormIsRead(string value) => Assert.Equal(TimeSpan.FromSeconds(150), RetryAfterParser.Parse(value, Now));

    // Found by the Retry-After properties: .NET's lenient date parser took these for dates in the machine's current year.
    [Theory]
    [InlineData("1-3")]
    [InlineData("8 4")]
    [InlineData("10:30")]
    [InlineData("2025-03-01T09:02:30Z")]
    public void TextThatIsNotAnHttpDateIsIgnored(string value) => Assert.Null(RetryAfterParser.Parse(value, Now));
}
