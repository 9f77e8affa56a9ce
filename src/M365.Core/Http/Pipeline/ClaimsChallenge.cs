using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace M365.Core.Http
{
    /// <summary>
    /// A Continuous Access Evaluation challenge: <c>WWW-Authenticate: Bearer error="insufficient_claims", claims="&lt;base64 JSON&gt;"</c>,
    /// which Graph and SharePoint send when they revoke a token before it expires. <see cref="Parse(string)"/> reads the
    /// header as RFC 7235 defines it (several challenges, quoted strings with escapes) and never throws: anything missing
    /// or garbled is simply "no claims challenge".
    /// </summary>
    internal sealed class ClaimsChallenge
    {
        /// <summary>Longer claims are refused: a real challenge is a few hundred bytes.</summary>
        internal const int MaxClaimsLength = 16 * 1024;

        private const int MaxDescriptionLength = 300;

        private ClaimsChallenge(string claims, string? description)
        {
            Claims = claims;
            Description = description;
        }

        /// <summary>The decoded claims request, a JSON object (what MSAL's WithClaims takes).</summary>
        public string Claims { get; }

        /// <summary>The challenge's error_description, shortened, or null.</summary>
        public string? Description { get; }

        /// <summary>The claims challenge of a 401 answer, or null.</summary>
        public static ClaimsChallenge? FromResponse(HttpResponseMessage response)
        {
            if (response is null || !response.Headers.TryGetValues("WWW-Authenticate", out IEnumerable<string>? values))
            {
                return null;
            }

            foreach (string value in values)
            {
                ClaimsChallenge? challenge = Parse(value);
                if (challenge != null)
                {
                    return challenge;
                }
            }

            return null;
        }

        /// <summary>The first Bearer challenge with <c>error="insufficient_claims"</c> and decodable claims in one header value, or null.</summary>
        public static ClaimsChallenge? Parse(string? header)
        {
            if (string.IsNullOrEmpty(header))
            {
                return null;
            }

            var reader = new Reader(header!);
            while (reader.NextChallenge(out string scheme, out Dictionary<string, string> parameters))
            {
                if (!string.Equals(scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
                    || !parameters.TryGetValue("error", out string? error)
                    || !string.Equals(error, "insufficient_claims", StringComparison.OrdinalIgnoreCase)
                    || !parameters.TryGetValue("claims", out string? encoded))
                {
                    continue;
                }

                string? claims = Decode(encoded);
                if (claims != null)
                {
                    parameters.TryGetValue("error_description", out string? description);
                    return new ClaimsChallenge(claims, Shorten(description));
                }
            }

            return null;
        }

        /// <summary>base64 (standard or URL-safe, padding optional) of a UTF-8 JSON object; null for anything else.</summary>
        internal static string? Decode(string encoded)
        {
            if (encoded.Length == 0 || encoded.Length > MaxClaimsLength * 4 / 3 + 4)
            {
                return null;
            }

            var builder = new StringBuilder(encoded.Length + 3);
            foreach (char c in encoded)
            {
                char mapped = c == '-' ? '+' : c == '_' ? '/' : c;
                if (!(mapped >= 'A' && mapped <= 'Z') && !(mapped >= 'a' && mapped <= 'z') && !(mapped >= '0' && mapped <= '9') && mapped != '+' && mapped != '/' && mapped != '=')
                {
                    return null;
                }

                builder.Append(mapped);
            }

            string text = builder.ToString().TrimEnd('=');
            if (text.IndexOf('=') >= 0 || text.Length % 4 == 1)
            {
                return null;
            }

            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            try
            {
                string json = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(text));
                using JsonDocument document = JsonDocument.Parse(json);
                return document.RootElement.ValueKind == JsonValueKind.Object && json.Length <= MaxClaimsLength ? json : null;
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is JsonException)
            {
                // DecoderFallbackException is an ArgumentException: not UTF-8, so not a claims request.
                return null;
            }
        }

        private static string? Shorten(string? description)
        {
            if (string.IsNullOrWhiteSpace(description))
            {
                return null;
            }

            var clean = new StringBuilder(Math.Min(description!.Length, MaxDescriptionLength));
            foreach (char c in description)
            {
                if (clean.Length == MaxDescriptionLength)
                {
                    clean.Append('…');
                    break;
                }

                clean.Append(char.IsControl(c) ? ' ' : c);
            }

            return clean.ToString().Trim();
        }

        /// <summary>RFC 7235: <c>challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]</c>, challenges separated by commas.</summary>
        private struct Reader
        {
            private readonly string _text;
            private int _position;

            public Reader(string text)
            {
                _text = text;
                _position = 0;
            }

            public bool NextChallenge(out string scheme, out Dictionary<string, string> parameters)
            {
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                scheme = string.Empty;
                while (_position < _text.Length)
                {
                    SkipSeparators();
                    scheme = ReadToken();
                    if (scheme.Length > 0)
                    {
                        break;
                    }

                    if (_position < _text.Length)
                    {
                        // Not a token character where a scheme should start: skip it and look further.
                        _position++;
                    }
                }

                if (scheme.Length == 0)
                {
                    return false;
                }

                bool first = true;
                while (_position < _text.Length)
                {
                    SkipWhitespace();
                    int start = _position;
                    string name = ReadToken();
                    SkipWhitespace();
                    if (name.Length > 0 && Peek() == '=' && Peek(1) != '=')
                    {
                        _position++;
                        SkipWhitespace();
                        if (!TryReadValue(out string value))
                        {
                            // An unterminated quoted string: nothing after it can be trusted.
                            _position = _text.Length;
                            return true;
                        }

                        if (!parameters.ContainsKey(name))
                        {
                            parameters[name] = value;
                        }
                    }
                    else if (name.Length > 0 && !first && Peek() != '=')
                    {
                        // A token with no '=': the scheme of the next challenge.
                        _position = start;
                        return true;
                    }
                    else
                    {
                        // token68 or garbage: skip to the next comma.
                        SkipPast(',');
                    }

                    first = false;
                    SkipWhitespace();
                    if (Peek() == ',')
                    {
                        _position++;
                    }
                    else if (_position < _text.Length && !IsTokenChar(Peek()))
                    {
                        SkipPast(',');
                    }
                }

                return true;
            }

            private bool TryReadValue(out string value)
            {
                if (Peek() != '"')
                {
                    value = ReadToken();
                    return true;
                }

                _position++;
                var builder = new StringBuilder();
                while (_position < _text.Length)
                {
                    char c = _text[_position++];
                    if (c == '"')
                    {
                        value = builder.ToString();
                        return true;
                    }

                    if (c == '\\' && _position < _text.Length)
                    {
                        c = _text[_position++];
                    }

                    builder.Append(c);
                }

                value = string.Empty;
                return false;
            }

            private string ReadToken()
            {
                int start = _position;
                while (_position < _text.Length && IsTokenChar(_text[_position]))
                {
                    _position++;
                }

                return _text.Substring(start, _position - start);
            }

            private void SkipWhitespace()
            {
                while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t'))
                {
                    _position++;
                }
            }

            private void SkipSeparators()
            {
                while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == ','))
                {
                    _position++;
                }
            }

            private void SkipPast(char separator)
            {
                while (_position < _text.Length && _text[_position] != separator)
                {
                    if (_text[_position] == '"')
                    {
                        // Skip a quoted string whole, so a comma inside it does not count.
                        if (!TryReadValue(out _))
                        {
                            return;
                        }

                        continue;
                    }

                    _position++;
                }
            }

            private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

            // tchar of RFC 7230.
            private static bool IsTokenChar(char c) =>
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
        }
    }
}
