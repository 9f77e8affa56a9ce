namespace M365.Core.Services.SharePoint
{
    /// <summary>A site whose wait ended: ready, or with the error that ended it (failed, timed out, poll failed).</summary>
    public sealed class SiteWaitResult
    {
        internal SiteWaitResult(SpoSite site, M365ServiceException? error)
        {
            Site = site;
            Error = error;
        }

        /// <summary>The site, with its last known status.</summary>
        public SpoSite Site { get; }

        /// <summary>
        /// Null when the site is ready; else <see cref="ServiceErrorIds.SiteCreationFailed"/>, <see cref="ServiceErrorIds.SiteCreationTimedOut"/>
        /// or the poll's HTTP failure, targeting the site's request.
        /// </summary>
        public M365ServiceException? Error { get; }

        /// <summary>True when the site is ready.</summary>
        public bool IsSuccess => Error is null;
    }
}
