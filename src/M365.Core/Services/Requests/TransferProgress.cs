namespace M365.Core.Services.Requests
{
    /// <summary>How far a streamed upload (<see cref="ServiceRequest.InFile"/>) or download (<see cref="ServiceRequestClient.DownloadAsync"/>) has come.</summary>
    public readonly struct TransferProgress
    {
        /// <summary>Creates a report.</summary>
        /// <param name="isUpload">True for an upload.</param>
        /// <param name="bytes">The bytes moved so far.</param>
        /// <param name="totalBytes">The bytes to move, when known.</param>
        /// <param name="completed">True for the last report.</param>
        public TransferProgress(bool isUpload, long bytes, long? totalBytes, bool completed)
        {
            IsUpload = isUpload;
            Bytes = bytes;
            TotalBytes = totalBytes;
            Completed = completed;
        }

        /// <summary>
        /// Transfers smaller than this (1 MiB) are not reported: they take no visible time, and a progress bar per small request
        /// would only flicker.
        /// </summary>
        public const long ReportedFromBytes = 1024 * 1024;

        /// <summary>True for an upload, false for a download.</summary>
        public bool IsUpload { get; }

        /// <summary>The bytes moved so far.</summary>
        public long Bytes { get; }

        /// <summary>The bytes to move (Content-Length, or the file's length), or null when the service did not say.</summary>
        public long? TotalBytes { get; }

        /// <summary>True for the last report of a transfer.</summary>
        public bool Completed { get; }

        /// <summary>The share done, 0 to 100, or null when the total is not known.</summary>
        public int? Percent => TotalBytes is long total && total > 0 ? (int)System.Math.Min(100, Bytes * 100 / total) : (int?)null;
    }
}
