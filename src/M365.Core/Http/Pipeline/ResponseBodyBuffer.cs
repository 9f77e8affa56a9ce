using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>
    /// Reads an answer's body into memory with a bound, so a huge or endless body costs at most the bound: a success body
    /// longer than the bound is refused (<see cref="HttpErrorIds.ResponseTooLarge"/>), an error body is cut (only its first
    /// 64 KiB can name the service's error anyway). HttpClient's own bound (MaxResponseContentBufferSize, LoadIntoBufferAsync)
    /// is one per shared client, fails with an HttpRequestException that cannot be told from a network failure (and would be
    /// retried), and cannot be cancelled on netstandard2.0; hence this reader.
    /// A streamed download (-OutFile, issue 20) leaves the body unread and so needs no bound here.
    /// </summary>
    internal static class ResponseBodyBuffer
    {
        /// <summary>How much of an error body is kept: what <see cref="ServiceErrorReader"/> reads, plus one byte to tell it is longer.</summary>
        public const int ErrorBodyBytes = ServiceErrorReader.MaxBodyBytes + 1;

        private const int FirstChunk = 64 * 1024;

        /// <summary>Replaces the response's content with its body read into memory (same content headers).</summary>
        /// <exception cref="M365HttpException"><see cref="HttpErrorIds.ResponseTooLarge"/>: a success body over <paramref name="maxBytes"/>.</exception>
        public static async Task BufferAsync(HttpResponseMessage response, long maxBytes, string method, string redactedUrl, CancellationToken cancellationToken)
        {
            HttpContent? content = response.Content;
            if (content is null || content is BufferedContent)
            {
                return;
            }

            bool success = response.IsSuccessStatusCode;
            long limit = success ? maxBytes : Math.Min(maxBytes, ErrorBodyBytes);
            long? declared = content.Headers.ContentLength;
            if (success && declared > limit)
            {
                throw TooLarge(method, redactedUrl, (int)response.StatusCode, maxBytes, "declares " + Bytes(declared.Value));
            }

            byte[] buffer = new byte[declared is long length && length <= limit ? (int)length : (int)Math.Min(limit + (success ? 1 : 0), FirstChunk)];
            int count = 0;
            using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        // One byte past the bound proves the body is longer than allowed; an error body simply ends here.
                        long room = success ? limit + 1 : limit;
                        if (count >= room)
                        {
                            break;
                        }

                        Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, FirstChunk), room));
                    }

                    int read = await stream.ReadAsync(buffer, count, buffer.Length - count, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    count += read;
                    if (success && count > limit)
                    {
                        throw TooLarge(method, redactedUrl, (int)response.StatusCode, maxBytes, "sent more than that");
                    }
                }
            }

            var buffered = new BufferedContent(buffer, count);
            foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content = buffered;
            content.Dispose();
        }

        /// <summary>A size for a message: bytes, with MiB when large.</summary>
        public static string Bytes(long bytes) =>
            bytes >= 1024 * 1024
                ? string.Format(CultureInfo.InvariantCulture, "{0:N0} bytes ({1:0.#} MiB)", bytes, bytes / (1024.0 * 1024.0))
                : string.Format(CultureInfo.InvariantCulture, "{0:N0} bytes", bytes);

        private static M365HttpException TooLarge(string method, string redactedUrl, int status, long maxBytes, string what) =>
            new M365HttpException(
                HttpErrorIds.ResponseTooLarge,
                string.Format(CultureInfo.InvariantCulture, "{0} {1} answered {2} with a body that {3}, over the limit of {4}; it was not read further.", method, redactedUrl, status, what, Bytes(maxBytes)),
                "Ask for less ($select, $top, $filter); if the answer really is that large, raise the limit with Invoke-M365Request -MaximumResponseSize (for example -MaximumResponseSize 256MB).",
                method,
                redactedUrl,
                status);
    }

    /// <summary>A body already read into memory, readable without another copy.</summary>
    internal sealed class BufferedContent : ByteArrayContent
    {
        public BufferedContent(byte[] buffer, int count)
            : base(buffer, 0, count)
        {
            Bytes = new ArraySegment<byte>(buffer, 0, count);
        }

        /// <summary>The body.</summary>
        public ArraySegment<byte> Bytes { get; }
    }
}
