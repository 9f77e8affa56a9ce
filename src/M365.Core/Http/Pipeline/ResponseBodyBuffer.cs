using System;
using System.Buffers;
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

        private const int MaxChunk = 1024 * 1024;

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
                throw TooLarge(method, redactedUrl, (int)response.StatusCode, maxBytes, declared);
            }

            // A declared length is read into one array of that size; otherwise into chunks of at most 1 MiB, joined once at the
            // end, so refusing an endless body costs the limit and no more (a doubling array would hold 1.5 times it, plus garbage).
            // The arrays come from the shared pool: a listing reads a page of about 1 MB 50 times, and arrays that size made
            // new each time are large objects, each page's a step towards a full (gen2) collection. The chunks go back once
            // joined; the body's own array when its reader is done (BufferedContent.ReturnBuffer), or to the collector.
            long room = success ? limit + 1 : limit;
            var chunks = new List<byte[]>();
            long count = 0;
            byte[] buffer;
            try
            {
                using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    byte[]? chunk = null;
                    int filled = 0;
                    // A body is never longer than its Content-Length (HttpClient enforces it), so a declared length ends the read.
                    while (count < room && !(declared is long expected && count >= expected))
                    {
                        if (chunk is null || filled == chunk.Length)
                        {
                            long left = room - count;
                            chunk = ArrayPool<byte>.Shared.Rent(declared is long length && length <= limit && chunks.Count == 0 ? Math.Max((int)length, 1) : (int)Math.Min(left, chunks.Count == 0 ? FirstChunk : MaxChunk));
                            chunks.Add(chunk);
                            filled = 0;
                        }

                        int read = await stream.ReadAsync(chunk, filled, (int)Math.Min(chunk.Length - filled, room - count), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        filled += read;
                        count += read;
                    }

                    if (success && count > limit)
                    {
                        throw TooLarge(method, redactedUrl, (int)response.StatusCode, maxBytes, null);
                    }
                }

                buffer = Join(chunks, (int)count);
            }
            catch
            {
                foreach (byte[] chunk in chunks)
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }

                throw;
            }

            var buffered = new BufferedContent(buffer, (int)count);
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

        /// <summary>The body in one pooled array (the first chunk when it holds it all); the other chunks go back to the pool.</summary>
        private static byte[] Join(List<byte[]> chunks, int count)
        {
            if (chunks.Count == 0)
            {
                return ArrayPool<byte>.Shared.Rent(1);
            }

            if (chunks.Count == 1)
            {
                return chunks[0];
            }

            byte[] joined = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
            int at = 0;
            foreach (byte[] chunk in chunks)
            {
                int n = Math.Min(chunk.Length, count - at);
                Buffer.BlockCopy(chunk, 0, joined, at, n);
                at += n;
                ArrayPool<byte>.Shared.Return(chunk);
            }

            chunks.Clear();
            return joined;
        }

        private static M365HttpException TooLarge(string method, string redactedUrl, int status, long maxBytes, long? declared) =>
            new M365HttpException(
                HttpErrorIds.ResponseTooLarge,
                declared is long length
                    ? string.Format(CultureInfo.InvariantCulture, "{0} {1} answered {2} with a body of {3} by its Content-Length, over the limit of {4}; it was not read.", method, redactedUrl, status, Bytes(length), Bytes(maxBytes))
                    : string.Format(CultureInfo.InvariantCulture, "{0} {1} answered {2} with a body longer than the limit of {3}; it was not read further.", method, redactedUrl, status, Bytes(maxBytes)),
                "Ask for less ($select, $top, $filter); if the answer really is that large, raise the limit with Invoke-M365Request -MaximumResponseSize (for example -MaximumResponseSize 256MB).",
                method,
                redactedUrl,
                status);
    }

    /// <summary>A body already read into memory (an array from the shared pool), readable without another copy.</summary>
    internal sealed class BufferedContent : ByteArrayContent
    {
        private byte[]? _pooled;

        public BufferedContent(byte[] buffer, int count)
            : base(buffer, 0, count)
        {
            Bytes = new ArraySegment<byte>(buffer, 0, count);
            _pooled = buffer;
        }

        /// <summary>The body.</summary>
        public ArraySegment<byte> Bytes { get; }

        /// <summary>
        /// Gives the array back to the pool, once: only for a reader that is done with the body and kept nothing of it, just
        /// before the response is disposed (a <see cref="System.Text.Json.JsonDocument"/> parsed from <see cref="Bytes"/> reads
        /// the array itself, so its reader never returns it; the collector takes it then).
        /// </summary>
        public void ReturnBuffer()
        {
            byte[]? pooled = System.Threading.Interlocked.Exchange(ref _pooled, null);
            if (pooled != null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }
}
