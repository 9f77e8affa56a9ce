namespace M365.Core.Http
{
    /// <summary>What a request does to the service, which decides when it may be sent again.</summary>
    public enum RequestKind
    {
        /// <summary>A read (GET, HEAD): retried on 429, 503, 504 and transient network errors.</summary>
        Read,

        /// <summary>
        /// A write that has the same effect however often it is sent (PUT, PATCH of fixed values, DELETE): retried like a read.
        /// </summary>
        IdempotentWrite,

        /// <summary>
        /// A write that creates something (POST). Retried only on 429 and 503, where the service did not act; after a 504 or a
        /// timeout the caller must check the state before trying again, so nothing is created twice.
        /// </summary>
        CreatingWrite,
    }
}
