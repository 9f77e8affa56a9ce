using System;

namespace M365.Core.Services.Requests
{
    /// <summary>
    /// Turns a transfer's byte counts into <see cref="TransferProgress"/> reports: none below
    /// <see cref="TransferProgress.ReportedFromBytes"/>, then one per further MiB and one at the end, so a 10 GB download
    /// makes about 10,000 reports, not one per read.
    /// </summary>
    internal sealed class ProgressReporter
    {
        private const long Step = 1024 * 1024;
        private readonly Action<TransferProgress>? _report;
        private readonly bool _isUpload;
        private readonly long? _total;
        private long _bytes;
        private long _nextReport = TransferProgress.ReportedFromBytes;
        private bool _reported;

        public ProgressReporter(Action<TransferProgress>? report, bool isUpload, long? total)
        {
            _report = report;
            _isUpload = isUpload;
            _total = total;
        }

        public long Bytes => _bytes;

        public void Add(int count)
        {
            _bytes += count;
            if (_report != null && _bytes >= _nextReport)
            {
                _nextReport = _bytes + Step;
                _reported = true;
                _report(new TransferProgress(_isUpload, _bytes, _total, completed: false));
            }
        }

        /// <summary>The last report, only when an earlier one was made (a small transfer makes none).</summary>
        public void Complete()
        {
            if (_report != null && _reported)
            {
                _report(new TransferProgress(_isUpload, _bytes, _total, completed: true));
            }
        }
    }
}
