using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;

namespace M365.Core.Services.Requests
{
    /// <summary>
    /// Writes an answer's body to a file as it arrives, through one 80 KiB buffer, so memory stays the same whatever the size
    /// (no <see cref="HttpRetryOptions.MaxResponseBytes"/> cap applies). The body goes to a temporary file next to the target,
    /// which replaces the target only once the whole body has arrived: a failed or cancelled download leaves no half file
    /// and an existing file as it was.
    /// </summary>
    internal static class FileDownload
    {
        private const int BufferBytes = 81920;

        /// <returns>The bytes written.</returns>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.RequestOutFileFailed"/>: the file cannot be written.</exception>
        /// <exception cref="M365HttpException">The connection failed while the body was arriving (<see cref="HttpErrorIds.ServiceUnreachable"/>).</exception>
        public static async Task<long> SaveAsync(HttpResponseMessage response, string path, string method, string redactedUrl, Action<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            string full;
            string temporary;
            try
            {
                full = Path.GetFullPath(path);
                temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw Failed(path, ex.Message, ex);
            }

            var reporter = new ProgressReporter(progress, isUpload: false, response.Content?.Headers.ContentLength);
            FileStream file;
            try
            {
                file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Failed(path, ex.Message, ex);
            }

            bool done = false;
            try
            {
                using (file)
                {
                    if (response.Content != null)
                    {
                        await CopyAsync(response.Content, file, reporter, method, redactedUrl, cancellationToken).ConfigureAwait(false);
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                Replace(temporary, full, path);
                done = true;
                reporter.Complete();
                return reporter.Bytes;
            }
            finally
            {
                if (!done)
                {
                    TryDelete(temporary);
                }
            }
        }

        private static async Task CopyAsync(HttpContent content, FileStream file, ProgressReporter reporter, string method, string redactedUrl, CancellationToken cancellationToken)
        {
            var buffer = new byte[BufferBytes];
            using Stream body = await content.ReadAsStreamAsync().ConfigureAwait(false);
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when ((ex is IOException || ex is HttpRequestException) && !cancellationToken.IsCancellationRequested)
                {
                    throw HttpErrorFactory.FromException(ex, method, redactedUrl, 1);
                }

                if (read == 0)
                {
                    return;
                }

                try
                {
                    await file.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw Failed(file.Name, ex.Message, ex);
                }

                reporter.Add(read);
            }
        }

        private static void Replace(string temporary, string full, string path)
        {
            try
            {
                if (File.Exists(full))
                {
                    File.Delete(full);
                }

                File.Move(temporary, full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Failed(path, ex.Message, ex);
            }
        }

        private static void TryDelete(string temporary)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Best effort: the download's own failure is the error to report.
            }
        }

        private static M365Exception Failed(string path, string problem, Exception inner) =>
            new M365Exception(
                ServiceErrorIds.RequestOutFileFailed,
                string.Format(CultureInfo.InvariantCulture, "The answer could not be written to '{0}' ({1}); a file already there was left as it was.", path, problem),
                "Check that the folder exists, that you may write there and that the disk has room, or give another -OutFile path.",
                path,
                inner);
    }
}
