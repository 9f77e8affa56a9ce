using System;
using System.Collections.Generic;

namespace M365.Core.Services.Requests
{
    /// <summary>The successful answer to a <see cref="ServiceRequest"/>.</summary>
    public sealed class ServiceResponse
    {
        private readonly Lazy<object?> _value;

        internal ServiceResponse(int statusCode, string? contentType, string body, IReadOnlyDictionary<string, string[]> headerValues, Func<object?> value)
        {
            HeaderValues = headerValues;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, string[]> header in headerValues)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            StatusCode = statusCode;
            ContentType = contentType;
            Body = body;
            Headers = headers;

            // Parsed on first use only: -Raw keeps the text and never pays for a second, larger copy of a big answer.
            _value = new Lazy<object?>(value);
        }

        /// <summary>The HTTP status.</summary>
        public int StatusCode { get; }

        /// <summary>The media type of the body, or null.</summary>
        public string? ContentType { get; }

        /// <summary>The body as text (-Raw).</summary>
        public string Body { get; }

        /// <summary>The answer's headers (content headers too), each with its values joined by ", ".</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The answer's headers (content headers too), each with its values, names compared ignoring case.</summary>
        public IReadOnlyDictionary<string, string[]> HeaderValues { get; }

        /// <summary>For a download to a file, the bytes written; else null.</summary>
        public long? BytesWritten { get; internal set; }

        /// <summary>The body parsed from JSON into plain values (<see cref="JsonValues.ToObject"/>), the text when it is not JSON, or null when empty.</summary>
        public object? Value => _value.Value;
    }
}
