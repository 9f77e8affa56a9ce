using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// The claims of a federated token that explain why Entra ID refused it (issuer, subject, audience, validity),
    /// decoded for messages. The token itself is never kept here.
    /// </summary>
    internal sealed class PresentedAssertion
    {
        private PresentedAssertion(string? issuer, string? subject, string? audience, DateTimeOffset? notBefore, DateTimeOffset? expires, DateTimeOffset? issuedAt)
        {
            Issuer = issuer;
            Subject = subject;
            Audience = audience;
            NotBefore = notBefore;
            ExpiresOn = expires;
            IssuedAt = issuedAt;
        }

        public string? Issuer { get; }

        public string? Subject { get; }

        /// <summary>The audience, or the audiences joined with ", ".</summary>
        public string? Audience { get; }

        public DateTimeOffset? NotBefore { get; }

        public DateTimeOffset? ExpiresOn { get; }

        public DateTimeOffset? IssuedAt { get; }

        /// <summary>From nbf (else iat) to exp, when both are known.</summary>
        public TimeSpan? Lifetime => ExpiresOn - (NotBefore ?? IssuedAt);

        public static PresentedAssertion Read(string token)
        {
            IReadOnlyDictionary<string, object?> claims = JwtPayloadReader.ReadClaims(token);
            return new PresentedAssertion(Text(claims, "iss"), Text(claims, "sub"), Audiences(claims), Time(claims, "nbf"), Time(claims, "exp"), Time(claims, "iat"));
        }

        /// <summary>"issuer 'X', subject 'Y', audience 'Z', expires 2026-12-01 10:00:00Z": what a message may show.</summary>
        public string Describe()
        {
            var parts = new List<string>
            {
                "issuer '" + (Issuer ?? "(none)") + "'",
                "subject '" + (Subject ?? "(none)") + "'",
                "audience '" + (Audience ?? "(none)") + "'",
            };
            if (ExpiresOn is { } exp)
            {
                parts.Add("expires " + Format(exp));
            }

            return string.Join(", ", parts);
        }

        public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static string? Text(IReadOnlyDictionary<string, object?> claims, string name) =>
            claims.TryGetValue(name, out object? value) && value is string text ? text : null;

        private static string? Audiences(IReadOnlyDictionary<string, object?> claims)
        {
            if (!claims.TryGetValue("aud", out object? value))
            {
                return null;
            }

            return value switch
            {
                string single => single,
                IEnumerable many => string.Join(", ", many.OfType<string>()),
                _ => null,
            };
        }

        private static DateTimeOffset? Time(IReadOnlyDictionary<string, object?> claims, string name)
        {
            if (!claims.TryGetValue(name, out object? value))
            {
                return null;
            }

            long? seconds = value switch
            {
                long whole => whole,
                double fraction when !double.IsNaN(fraction) && !double.IsInfinity(fraction) => (long)fraction,
                _ => null,
            };
            const long Max = 253402300799; // 9999-12-31
            return seconds is { } s && s >= 0 && s <= Max ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
        }
    }
}
