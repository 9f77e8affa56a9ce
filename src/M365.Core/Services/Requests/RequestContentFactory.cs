using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace M365.Core.Services.Requests
{
    /// <summary>
    /// The body of a raw request, made once per attempt: a string as UTF-8, a byte array as it is, anything else as JSON
    /// (serialized once, so a retry resends the same bytes), or a file streamed from disk (<see cref="ServiceRequest.InFile"/>),
    /// which is never read into memory and, being a stream, never retried.
    /// </summary>
    internal sealed class RequestContentFactory
    {
        private const int FileBufferBytes = 81920;
        private readonly byte[]? _bytes;
        private readonly string? _file;
        private readonly long _fileLength;
        private readonly Action<TransferProgress>? _progress;

        private RequestContentFactory(byte[]? bytes, string? file, long fileLength, Action<TransferProgress>? progress, string defaultType)
        {
            _bytes = bytes;
            _file = file;
            _fileLength = fileLength;
            _progress = progress;
            DefaultContentType = defaultType;
        }

        /// <summary>The content type when the request names none: JSON for text and objects, octet-stream for bytes and files.</summary>
        public string DefaultContentType { get; }

        public bool HasBody => _bytes != null || _file != null;

        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.RequestFileNotFound"/>: the file is missing or unreadable (nothing sent).</exception>
        /// <exception cref="ArgumentException">Both a body and a file.</exception>
        public static RequestContentFactory For(ServiceRequest request)
        {
            if (request.InFile is null)
            {
                return request.Body switch
                {
                    null => new RequestContentFactory(null, null, 0, null, "application/json"),
                    byte[] raw => new RequestContentFactory(raw, null, 0, null, "application/octet-stream"),
                    string text => new RequestContentFactory(Encoding.UTF8.GetBytes(text), null, 0, null, "application/json"),
                    object value => new RequestContentFactory(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType()), null, 0, null, "application/json"),
                };
            }

            if (request.Body != null)
            {
                throw new ArgumentException("A request has either a body or a file to send, not both.", nameof(request));
            }

            FileInfo file;
            try
            {
                file = new FileInfo(request.InFile);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw NotFound(request.InFile, ex.Message, ex);
            }

            if (!file.Exists)
            {
                throw NotFound(request.InFile, "there is no such file", null);
            }

            return new RequestContentFactory(null, file.FullName, file.Length, request.Progress, "application/octet-stream");
        }

        /// <summary>A new content for one attempt, or null for no body.</summary>
        public HttpContent? Create()
        {
            if (_bytes != null)
            {
                return new ByteArrayContent(_bytes);
            }

            if (_file is null)
            {
                return null;
            }

            FileStream stream;
            try
            {
                stream = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes, useAsync: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw NotFound(_file, ex.Message, ex);
            }

            var content = new StreamContent(new ProgressReadStream(stream, new ProgressReporter(_progress, isUpload: true, _fileLength)), FileBufferBytes);
            content.Headers.ContentLength = _fileLength;
            return content;
        }

        private static M365Exception NotFound(string path, string problem, Exception? inner) =>
            new M365Exception(
                ServiceErrorIds.RequestFileNotFound,
                $"The file to send, '{path}', cannot be read ({problem}); nothing was sent.",
                "Check the -InFile path (relative paths are relative to the current PowerShell location) and that you may read the file.",
                path,
                inner);
    }
}
