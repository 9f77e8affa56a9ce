using System.Globalization;
using System.Net;
using CsCheck;
using M365.Core.Http;
using Polly;

namespace M365.Core.Tests.Properties;

/// <summary>Retry-After: seconds (decimals allowed) or an HTTP date, never negative, never past the ceiling or the cap.</summary>
public sealed class RetryAfterProperties : PropertySuite<RetryAfterProperties>, IPropertySuite
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ceiling = TimeSpan.FromDays(1);

    private static readonly Gen<string> ValidValue = Gen.OneOf(
        Gen.Int[0, 100_000].Select(s => s.ToString(CultureInfo.InvariantCulture)),
        Gen.Double[0, 1000].Select(s => s.ToString("0.###", CultureInfo.InvariantCulture)),
        Gen.Int[-1_000_000, 1_000_000].Select(s => Now.AddSeconds(s).ToString("R", CultureInfo.InvariantCulture)));

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("retry-after", nameof(AnyTextGivesNothingOrADelayWithinTheCeiling), AnyTextGivesNothingOrADelayWithinTheCeiling),
        new("retry-after", nameof(SecondsRoundTripToTheMillisecond), SecondsRoundTripToTheMillisecond),
        new("retry-after", nameof(HttpDatesRoundTripAsTheirTotalDistance), HttpDatesRoundTripAsTheirTotalDistance),
        new("retry-after", nameof(OnlySecondsAndHttpDatesAreAccepted), OnlySecondsAndHttpDatesAreAccepted),
        new("retry-after", nameof(TheRetryDelayNeverExceedsTheCap), TheRetryDelayNeverExceedsTheCap),
    ];

    private static void AnyTextGivesNothingOrADelayWithinTheCeiling(PropertyRun run) =>
        run.Check(Gen.OneOf(Generators.AnyString, Generators.StringOf("0123456789.,-+ eE:/GMTFriDecNaN\t"), Generators.Mutated(ValidValue)), value =>
        {
            TimeSpan? delay = RetryAfterParser.Parse(value, Now);
            Assert.True(delay is null || (delay >= TimeSpan.Zero && delay <= Ceiling), $"'{value}' gave {delay}");
        });

    private static void SecondsRoundTripToTheMillisecond(PropertyRun run) =>
        run.Check(Gen.Double[0, 200_000], seconds =>
        {
            string text = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            TimeSpan expected = seconds >= Ceiling.TotalSeconds ? Ceiling : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));

            TimeSpan? parsed = RetryAfterParser.Parse(text, Now);

            Assert.NotNull(parsed);
            Assert.True(Math.Abs((parsed.Value - expected).TotalMilliseconds) < 1, $"'{text}' gave {parsed}, not {expected}");
        });

    private static void HttpDatesRoundTripAsTheirTotalDistance(PropertyRun run) =>
        run.Check(Gen.Select(Gen.Long[-10_000_000, 10_000_000], Gen.Int[0, 2]), pair =>
        {
            (long seconds, int format) = pair;
            DateTimeOffset date = Now.AddSeconds(seconds);
            string text = format switch
            {
                0 => date.ToString("R", CultureInfo.InvariantCulture),
                1 => date.UtcDateTime.ToString("dddd, dd-MMM-yy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture), // RFC 850
                _ => date.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture), // asctime
            };
            TimeSpan expected = seconds <= 0 ? TimeSpan.Zero : seconds >= Ceiling.TotalSeconds ? Ceiling : TimeSpan.FromSeconds(seconds);

            Assert.Equal(expected, RetryAfterParser.Parse(text, Now));
        });

    /// <summary>Text that is neither seconds nor one of RFC 9110's three date forms is ignored, however lenient .NET's date parser is.</summary>
    private static void OnlySecondsAndHttpDatesAreAccepted(PropertyRun run) =>
        run.Check(Gen.OneOf(Generators.StringOf("0123456789:/.- APMTZ", 12), Generators.Mutated(ValidValue)), value =>
        {
            if (RetryAfterParser.Parse(value, Now) is null)
            {
                return;
            }

            Assert.True(RetryAfterForms.IsSecondsOrHttpDate(value), $"'{value}' was accepted as a Retry-After");
        });

    private static void TheRetryDelayNeverExceedsTheCap(PropertyRun run) =>
        run.Check(Gen.Select(Gen.OneOf(Generators.AnyString, Generators.Mutated(ValidValue)).Array[1, 3], Gen.Int[1, 3600]), pair =>
        {
            (string[] values, int capSeconds) = pair;
            TimeSpan cap = TimeSpan.FromSeconds(capSeconds);
            using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            foreach (string value in values)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", value);
            }

            TimeSpan? delay = HttpResiliencePipelineFactory.DelayFromRetryAfter(Outcome.FromResult(response), new FixedTime(Now), cap);

            Assert.True(delay is null || (delay >= TimeSpan.Zero && delay <= cap), $"{string.Join(" | ", values)} gave {delay} over a cap of {cap}");
        });

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
